/** The Jinja engine's behaviour that the differential recording cannot show: errors, loaders, native values, options. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { PyRandom } from '../../../engine/vars/py-random.js'
import { Templar } from '../../../engine/vars/template.js'

const t = new Templar()
const vars = { s: 'astro', n: 5, users: ['a', 'b'], pg: { host: 'db' } }

function error(fn: () => unknown): AcplayError {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof AcplayError, `expected AcplayError, got ${String(e)}`)
    return e
  }
  assert.fail('expected an error')
}

describe('errors say where', () => {
  it('a syntax error names the line of a multi-line template', () => {
    const e = error(() => t.render('line 1\n{% if s %}\nline 3\n{% for %}\n', vars))
    assert.equal(e.code, 'E_TEMPLATE')
    assert.match(e.message, /template syntax error/)
    assert.match(e.message, /line 4/)
  })
  it('a runtime error names the line it happened on', () => {
    const e = error(() => t.render('ok {{ s }}\n{% for u in users %}\n{{ u ~ missing }}\n{% endfor %}\n', vars))
    assert.equal(e.code, 'E_UNDEFINED_VAR')
    assert.match(e.message, /'missing' is undefined \(line 3\)/)
  })
  it('an error inside an included template names that template', () => {
    const loader = (name: string) => ({ 'inner.j2': 'a\n{{ nope.x }}\n' })[name]
    const e = error(() => t.render('{% include "inner.j2" %}', vars, undefined, { loader }))
    assert.match(e.message, /'nope' is undefined \(template 'inner.j2', line 2\)/)
  })
  it('unknown tags and unclosed blocks are explained as Jinja does', () => {
    assert.match(error(() => t.render('{% frobnicate %}', vars)).message, /Encountered unknown tag 'frobnicate'/)
    assert.match(error(() => t.render('{% for u in users %}x', vars)).message, /Jinja was looking for the following tags: 'endfor' or 'else'/)
    assert.match(error(() => t.render('{% if s %}{% endfor %}', vars)).message, /You probably made a nesting mistake|looking for/)
  })
  it('one-line templates do not carry a line number', () => {
    assert.equal(error(() => t.evaluate('nope', vars)).message, "'nope' is undefined")
  })
  it('JS-level failures become template errors, not raw Node errors', () => {
    const e = error(() => t.evaluate("'%d' % 'x'", vars))
    assert.equal(e.code, 'E_TEMPLATE')
    assert.match(e.message, /%d format: a real number is required, not str/)
  })
})

describe('include, import and extends need a loader', () => {
  it('say so when none is given', () => {
    assert.match(error(() => t.render("{% include 'x.j2' %}", vars)).message, /need a template loader/)
  })
  it('load through the loader given to render (and to the Templar)', () => {
    const files: Record<string, string> = { 'base.j2': '[{% block b %}{% endblock %}]', 'm.j2': '{% macro hi(x) %}hi {{ x }}{% endmacro %}' }
    const loader = (name: string) => files[name]
    assert.equal(t.render("{% extends 'base.j2' %}{% block b %}{{ s }}{% endblock %}", vars, undefined, { loader }), '[astro]')
    assert.equal(new Templar({ loader }).render("{% from 'm.j2' import hi %}{{ hi(s) }}", vars), 'hi astro')
  })
  it('a missing template is named', () => {
    assert.match(error(() => t.render("{% include 'gone.j2' %}", vars, undefined, { loader: () => undefined })).message, /template 'gone.j2' not found/)
  })
})

describe('native values', () => {
  it('integral floats leave as JS numbers but print as Python floats', () => {
    assert.equal(t.templateValue('{{ 10 / 2 }}', vars), '5.0', 'one node is text in Ansible 2.14')
    assert.equal(JSON.stringify(t.templateValue('{{ [1.0, (2, 3.0)] }}', vars)), '[1,[2,3]]')
    assert.equal(t.render('{{ 10 / 2 }}', vars), '5.0')
    assert.equal(t.templateValue('x{{ 10 / 2 }}', vars), 'x5.0')
  })
  it('a var whose value divides keeps its float-ness inside the evaluation', () => {
    assert.equal(t.render('{{ half }}', { half: '{{ 10 / 2 }}' }), '5.0')
  })
  it('undefined values inside a built list are refused when they leave, not when counted', () => {
    assert.equal(t.evaluate('[1, x] | length', vars), 2)
    assert.equal(error(() => t.evaluate('[1, x]', vars)).code, 'E_UNDEFINED_VAR')
  })
  it('`vars` holds every variable as written', () => {
    assert.equal(t.evaluate("vars['a']", { a: '{{ s }}', s: 'x' }), '{{ s }}')
    assert.equal(t.evaluate('vars.s ~ vars | length', { s: 'x' }), 'x1')
  })
  it('filters and tests answer to their FQCN', () => {
    assert.equal(t.evaluate("s | ansible.builtin.upper ~ (s is ansible.builtin.match('as'))", vars), 'ASTROTrue')
  })
})

describe('whitespace options', () => {
  it('render takes the template module trim_blocks / lstrip_blocks', () => {
    const src = '  {% if s %}\nx\n  {% endif %}\ny\n'
    assert.equal(t.render(src, vars), '  x\n  y\n')
    assert.equal(t.render(src, vars, undefined, { lstripBlocks: true }), 'x\ny\n')
    assert.equal(t.render(src, vars, undefined, { trimBlocks: false }), '  \nx\n  \ny\n')
  })
  it('a template file without tags still has its CRLF line ends made LF, as Jinja does', () => {
    assert.equal(t.render('a\r\nb\r\n', vars), 'a\nb\n')
    assert.equal(t.render('#jinja2: trim_blocks: True\nplain\n', vars), 'plain\n')
  })
  it('a #jinja2: first line sets them for that template, and bad ones are refused', () => {
    assert.equal(t.render('#jinja2: lstrip_blocks: True\n  {% if s %}\nx\n  {% endif %}\n', vars), 'x\n')
    assert.match(error(() => t.render('#jinja2: variable_start_string: "[["\n{{ s }}', vars)).message, /not supported/)
  })
  it('a #jinja2: value is a Python literal taken for its truth, as Ansible sets it on the environment ("false" is on)', () => {
    const body = '\n  {% if s %}\nx\n  {% endif %}\ny\n'
    assert.equal(t.render(`#jinja2: trim_blocks: "true", lstrip_blocks: "true"${body}`, vars), 'x\ny\n')
    assert.equal(t.render(`#jinja2: trim_blocks: "false", lstrip_blocks: 'yes'${body}`, vars), 'x\ny\n')
    assert.equal(t.render(`#jinja2: trim_blocks: 0, lstrip_blocks: ""${body}`, vars), '  \nx\n  \ny\n')
    assert.match(error(() => t.render(`#jinja2: trim_blocks: true${body}`, vars)).message, /not a Python literal/)
  })
})

describe('controller-side filters and globals', () => {
  it('expanduser uses the controller HOME', () => {
    assert.equal(t.evaluate("'~/x' | expanduser", vars), `${(process.env.HOME ?? homedir()).replace(/\/+$/, '')}/x`)
    assert.equal(t.evaluate("'~other/x' | expanduser", vars), '~other/x')
  })
  it('normpath and commonpath (ansible-core 2.15) as posixpath has them', () => {
    assert.deepEqual(t.evaluate("['/a//b/./c/../d', 'a/../../b', '', '//x/y'] | map('normpath') | list", vars), ['/a/b/d', '../b', '.', '//x/y'])
    assert.equal(t.evaluate("['/usr/lib', '/usr/local/lib', '/usr/lib/x'] | commonpath", vars), '/usr')
    assert.equal(t.evaluate("['a/b/c', 'a/b'] | commonpath", vars), 'a/b')
    assert.match(error(() => t.evaluate("['/a', 'b'] | commonpath", vars)).message, /Can't mix absolute and relative paths/)
  })
  it('fileglob lists the files matching a pattern, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acplay-glob-'))
    try {
      for (const f of ['b.conf', 'a.conf', '.hidden.conf', 'c.txt']) writeFileSync(join(dir, f), '')
      assert.deepEqual(t.evaluate(`'${dir}/*.conf' | fileglob`, vars), [join(dir, 'a.conf'), join(dir, 'b.conf')])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('lookup reads env, file and vars', () => {
    process.env.ACPLAY_TEST_LOOKUP = 'v'
    assert.equal(t.evaluate("lookup('env', 'ACPLAY_TEST_LOOKUP')", vars), 'v')
    assert.deepEqual(t.evaluate("query('vars', 's', 'n')", vars), ['astro', 5])
    assert.match(error(() => t.evaluate("lookup('nope', 'id')", vars)).message, /lookup plugin 'nope' not found/)
  })
  it("Python's Mersenne Twister: randrange as CPython's for int and str seeds", () => {
    // CPython 3.11: random.Random(1).randrange(100) == 17, random.Random('x').randrange(1000) == 645
    assert.equal(new PyRandom(1).randrange(0, 100, 1), 17)
    assert.equal(new PyRandom('x').randrange(0, 1000, 1), 645)
  })
})
