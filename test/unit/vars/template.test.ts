import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { OMIT, Templar, markRaw } from '../../../engine/vars/template.js'

const t = new Templar()
const vars = {
  users: ['astro', 'bob'],
  n: 5,
  s: 'x',
  flag: true,
  nothing: null,
  empty: [],
  emptyMap: {},
  pg: { host: 'db', port: 5432 },
}
const where = { task: 'create airflow db', file: 'roles/airflow/tasks/main.yml', line: 12 }

/** Asserts fn throws an AcplayError with this code whose message includes every fragment. */
function throwsAcplay(fn: () => unknown, code: string, ...fragments: string[]): AcplayError {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  assert.ok(err instanceof AcplayError, `expected AcplayError, got ${String(err)}`)
  assert.equal(err.code, code)
  for (const f of fragments) assert.ok(err.message.includes(f) || err.describe().includes(f), `${err.describe()} lacks ${f}`)
  return err
}

describe('render', () => {
  it('returns strings without delimiters untouched', () => {
    const s = 'no templates here { } %'
    assert.equal(t.render(s, {}), s)
  })
  it('prints values as Python str() does, and None as empty (Ansible finalize)', () => {
    assert.equal(t.render('{{ s }} {{ n }} {{ flag }} [{{ nothing }}] {{ users }} {{ pg }}', vars), "x 5 True [] ['astro', 'bob'] {'host': 'db', 'port': 5432}")
  })
  it('renders a lone expression as a string too', () => {
    assert.equal(t.render('{{ n }}', vars), '5')
    assert.equal(t.render('{{ flag }}', vars), 'True')
  })
  it('has loops, conditionals and loop variables', () => {
    const src = '{% for u in users %}\n{{ loop.index }}: {{ u }}\n{% endfor %}\n{% if flag %}on{% else %}off{% endif %}'
    assert.equal(t.render(src, vars), '1: astro\n2: bob\non')
  })
  it('trims the newline after a block tag (trim_blocks) but not leading spaces (no lstrip_blocks)', () => {
    assert.equal(t.render('  {% if flag %}\nyes\n  {% endif %}\nend', vars), '  yes\n  end')
  })
  it('honours whitespace control {%- -%}', () => {
    assert.equal(t.render('a  {%- if flag -%}  b  {%- endif -%}  c', vars), 'abc')
  })
  it('iterates dicts by key and items() in pairs', () => {
    assert.equal(t.render('{% for k in pg %}{{ k }},{% endfor %}', vars), 'host,port,')
    assert.equal(t.render('{% for k, v in pg.items() %}{{ k }}={{ v }};{% endfor %}', vars), 'host=db;port=5432;')
  })
  it("mutates a list with Python's methods, but not one every host shares", () => {
    assert.equal(t.render('{% set l = [1] %}{% set _ = l.append(2) %}{{ l }}', {}), '[1, 2]')
    const shared = { hosts: Object.freeze(['a', 'b']) }
    throwsAcplay(() => t.render("{% set _ = hosts.append('c') %}", shared), 'E_TEMPLATE', "'append' would change a value every host shares")
    assert.equal(t.render("{% set l = hosts | list %}{% set _ = l.append('c') %}{{ l }}", shared), "['a', 'b', 'c']")
  })
  it('does not autoescape', () => {
    assert.equal(t.render('{{ s }}', { s: '<a href="x">&' }), '<a href="x">&')
  })
  it('supports macros, raw blocks and block set', () => {
    assert.equal(t.render('{% macro hi(who) %}hi {{ who }}{% endmacro %}{{ hi(s) | upper }}', vars), 'HI X')
    assert.equal(t.render('{% raw %}{{ kept }}{% endraw %}', vars), '{{ kept }}')
    assert.equal(t.render('{% set b %}n={{ n }}{% endset %}[{{ b }}]', vars), '[n=5]')
  })
  it('supports set and comments', () => {
    assert.equal(t.render('{# note #}{% set y = n * 2 %}{{ y }}', vars), '10')
  })
})

describe('templateValue: native values', () => {
  it('returns the native value of a lone {{ expr }}, but a number made by an expression as text (Ansible 2.14)', () => {
    assert.deepEqual(t.templateValue('{{ users }}', vars), ['astro', 'bob'])
    assert.equal(t.templateValue('{{ 5432 }}', vars), '5432')
    assert.equal(t.templateValue('{{ pg.port }}', vars), '5432')
    assert.equal(t.templateValue('{{ n }}', vars), 5, "a lone variable's number is passed as it is (Templar's SINGLE_VAR)")
    assert.equal(t.templateValue('{{ none }}', vars), '')
    assert.equal(t.templateValue('{{ flag }}', vars), true)
    assert.equal(t.templateValue('{{ nothing }}', vars), null)
    assert.deepEqual(t.templateValue('{{ pg }}', vars), { host: 'db', port: 5432 })
  })
  it('returns a string when the template has more than one part', () => {
    assert.equal(t.templateValue('port {{ pg.port }}', vars), 'port 5432')
    assert.equal(t.templateValue('{{ n }}{{ n }}', vars), '55')
  })
  it('walks arrays and objects, and returns untouched parts as the same objects', () => {
    const raw = { a: ['{{ n }}', 'plain'], b: { c: '{{ s }}-1' }, d: { e: 1 } }
    const out = t.templateValue(raw, vars) as typeof raw
    assert.deepEqual(out, { a: [5, 'plain'], b: { c: 'x-1' }, d: { e: 1 } })
    assert.equal(out.d, raw.d)
    const same = { k: ['v'] }
    assert.equal(t.templateValue(same, vars), same)
  })
  it('drops mapping keys whose value is omit', () => {
    assert.deepEqual(t.templateValue({ a: '{{ missing | default(omit) }}', b: 1 }, vars), { b: 1 })
    assert.equal(t.templateValue('{{ omit }}', vars), OMIT)
  })
  it('leaves values marked raw alone', () => {
    const raw = markRaw({ x: '{{ nope }}' })
    assert.equal(t.templateValue(raw, vars), raw)
  })
  it("hands out a datetime or timedelta as Python's str() prints it (what a module gets, and debug prints, in Ansible)", () => {
    const day = (d: string) => `('${d}' | to_datetime('%Y-%m-%d'))`
    assert.equal(t.templateValue(`{{ ${day('2023-01-02')} }}`, vars), '2023-01-02 00:00:00')
    // a lone expression is text (Ansible 2.14's concat): a dict holding one does not read back as a literal
    assert.equal(t.templateValue(`{{ {'span': ${day('2023-01-03')} - ${day('2023-01-01')}} }}`, vars), "{'span': datetime.timedelta(days=2)}")
    // so a variable made so is text inside later expressions (Ansible: unsupported operand for 'str' and 'str')
    const dates = { a: `{{ ${day('2023-01-03')} }}`, b: `{{ ${day('2023-01-01')} }}` }
    assert.throws(() => t.templateValue('{{ (a - b).days }}', dates), /unsupported operand type\(s\) for -: 'str' and 'str'/)
    assert.equal(t.templateValue(`{{ (${day('2023-01-03')} - ${day('2023-01-01')}).days }}`, vars), '2')
  })
})

describe('evaluate and test (bare expressions)', () => {
  const ev = (e: string, v: Record<string, unknown> = vars) => t.evaluate(e, v, where)
  it('passes non-strings through', () => {
    assert.equal(t.evaluate(true, {}), true)
    assert.equal(t.evaluate(0, {}), 0)
  })
  it('knows True/False/None and true/false/none', () => {
    assert.deepEqual([ev('True'), ev('False'), ev('None'), ev('true'), ev('none')], [true, false, null, true, null])
  })
  it('has ~, in, not in, is not, not, inline if, lists and dicts', () => {
    assert.equal(ev("'a' ~ n ~ flag"), 'a5True')
    assert.equal(ev("'bob' in users"), true)
    assert.equal(ev("'eve' not in users"), true)
    assert.equal(ev("'host' in pg"), true)
    assert.equal(ev("'st' in 'astro'"), true)
    assert.equal(ev('x is not defined'), true)
    assert.equal(ev('not empty'), true)
    assert.equal(ev("'yes' if n > 3 else 'no'"), 'yes')
    assert.deepEqual(ev("[1, n, {'k': s, 'l': [flag]}]"), [1, 5, { k: 'x', l: [true] }])
  })
  it('has Python operators: % formatting, list +, string *, //, **, chained <', () => {
    assert.equal(ev("'%s:%d' % (s, n)"), 'x:5')
    assert.equal(ev("'%(host)s:%(port)s' % pg"), 'db:5432')
    assert.equal(ev("'%05.1f|%-3s|' % (3.14159, 'a')"), '003.1|a  |')
    assert.deepEqual(ev("users + ['c']"), ['astro', 'bob', 'c'])
    assert.equal(ev("'-' * 3"), '---')
    assert.deepEqual([ev('7 // 2'), ev('2 ** 10'), ev('-7 % 3'), ev('7 / 2')], [3, 1024, 2, 3.5])
    assert.equal(ev('1 < n < 10'), true)
    assert.equal(ev('1 < n < 3'), false)
  })
  it('compares like Python: deep ==, no string/number coercion, type errors on <', () => {
    assert.equal(ev('[1, 2] == [1, 2]'), true)
    assert.equal(ev("{'a': 1} == {'a': 1}"), true)
    assert.equal(ev('empty == []'), true)
    assert.equal(ev("'5' == 5"), false)
    assert.equal(ev('n == 5.0'), true)
    throwsAcplay(() => ev("'5' < 6"), 'E_TEMPLATE', "'<' not supported between instances of 'str' and 'int'")
    throwsAcplay(() => ev("'a' + 1"), 'E_TEMPLATE', 'can only concatenate str (not "int") to str')
  })
  it('uses Python truthiness in and/or/not/if and returns the deciding operand', () => {
    assert.deepEqual(ev('empty or users'), ['astro', 'bob'])
    assert.deepEqual(ev('emptyMap and n'), {})
    assert.equal(ev('s and n'), 5)
    assert.equal(t.render('{% if emptyMap %}full{% else %}empty{% endif %}', vars), 'empty')
    assert.deepEqual(
      [t.test('empty', vars), t.test('users', vars), t.test("''", vars), t.test('0', vars), t.test('nothing', vars)],
      [false, true, false, false, false],
    )
  })
  it('short-circuits, so a guard protects an undefined name', () => {
    assert.equal(ev('x is defined and x > 1'), false)
    assert.equal(ev('x is undefined or x > 1'), true)
  })
  it('accepts a condition written with braces', () => {
    assert.equal(ev('{{ n > 1 }}'), true)
  })
  it('calls Python methods and slices', () => {
    assert.equal(ev("s.upper() ~ 'a,b'.split(',')[1]"), 'Xb')
    assert.equal(ev("'  pad '.strip()"), 'pad')
    assert.equal(ev("'astro'.startswith('as')"), true)
    assert.deepEqual(ev('pg.keys() | list'), ['host', 'port'])
    assert.equal(ev("pg.get('nope', 'dflt')"), 'dflt')
    assert.equal(ev("'{}-{}'.format(s, n)"), 'x-5')
    assert.deepEqual(ev('users[1:]'), ['bob'])
    assert.equal(ev('users[-1]'), 'bob')
    assert.equal(ev("'abcdef'[::2]"), 'ace')
    assert.equal(ev('users.0 ~ users.1'), 'astrobob')
    assert.equal(ev("[{'name': 'a'}].0.name"), 'a')
  })
  it('has range and dict', () => {
    assert.deepEqual(ev('range(3) | list'), [0, 1, 2])
    assert.deepEqual(ev('range(1, 7, 2)'), [1, 3, 5])
    assert.deepEqual(ev('dict(a=1)'), { a: 1 })
  })
  it('reports syntax errors with the location', () => {
    throwsAcplay(() => ev('n >'), 'E_TEMPLATE', 'template syntax error', 'roles/airflow/tasks/main.yml:12')
    throwsAcplay(() => ev('n | no_such_filter'), 'E_TEMPLATE', "no filter named 'no_such_filter'")
  })
})

describe('undefined variables', () => {
  it('name the variable and the location', () => {
    const e = throwsAcplay(() => t.render('postgres://airflow:{{ airflow_password }}@db', vars, where), 'E_UNDEFINED_VAR', "'airflow_password' is undefined")
    assert.equal(e.where.task, 'create airflow db')
    assert.equal(e.where.file, 'roles/airflow/tasks/main.yml')
    assert.equal(e.where.line, 12)
    assert.match(e.describe(), /roles\/airflow\/tasks\/main.yml:12: 'airflow_password' is undefined \(task 'create airflow db'\)/)
  })
  it('say which attribute is missing', () => {
    throwsAcplay(() => t.templateValue('{{ pg.user }}', vars, where), 'E_UNDEFINED_VAR', "'pg.user' is undefined", "'pg' has no attribute 'user'")
    throwsAcplay(() => t.evaluate('pg.host.x', vars), 'E_UNDEFINED_VAR', "'pg.host.x' is undefined")
    throwsAcplay(() => t.evaluate('users[5]', vars), 'E_UNDEFINED_VAR', "'users[5]' is undefined")
  })
  it('are errors in conditions, loops, comparisons, filters and literals', () => {
    for (const e of ['x', 'not x', 'x == 1', 'x > 1', 'x or 1', 'x ~ 1', 'x | upper', '[1, x]', "'a' in x"]) {
      throwsAcplay(() => t.evaluate(e, vars), 'E_UNDEFINED_VAR', "'x' is undefined")
    }
    throwsAcplay(() => t.render('{% if x %}y{% endif %}', vars), 'E_UNDEFINED_VAR', "'x' is undefined")
    throwsAcplay(() => t.render('{% for i in x %}{% endfor %}', vars), 'E_UNDEFINED_VAR', "'x' is undefined")
  })
  it('are allowed by defined/undefined tests and default/d', () => {
    assert.equal(t.evaluate('x is defined', vars), false)
    assert.equal(t.evaluate('x is undefined', vars), true)
    assert.equal(t.evaluate('pg.user is defined', vars), false)
    assert.equal(t.evaluate('nope.deeper.still is defined', vars), false)
    assert.equal(t.evaluate("x | default('a')", vars), 'a')
    assert.equal(t.evaluate("pg.user | d('postgres')", vars), 'postgres')
    assert.equal(t.evaluate("x | default(y) | default('z')", vars), 'z')
  })
})

describe('lazy templated vars', () => {
  it('resolves chains of templated vars on access, with native values', () => {
    const v = { a: '{{ b }}', b: '{{ c }}', c: [1, 2], dsn: 'postgres://{{ user }}@{{ host }}', user: '{{ name | upper }}', name: 'astro', host: 'db' }
    assert.deepEqual(t.templateValue('{{ a }}', v), [1, 2])
    assert.equal(t.render('{{ dsn }}', v), 'postgres://ASTRO@db')
  })
  it('templates nested values of a var', () => {
    const v = { conf: { url: 'http://{{ host }}:{{ port }}', ports: ['{{ port }}'] }, host: 'h', port: 8080 }
    assert.deepEqual(t.templateValue('{{ conf }}', v), { url: 'http://h:8080', ports: [8080] })
    assert.equal(t.evaluate('conf.ports[0] + 1', v), 8081)
  })
  it('does not template vars that are never used', () => {
    assert.equal(t.render('{{ ok }}', { ok: 1, broken: '{{ missing }}' }), '1')
  })
  it('names the var whose value refers to an undefined one', () => {
    throwsAcplay(() => t.render('{{ a }}', { a: '{{ b }}', b: 'x{{ c }}' }, where), 'E_UNDEFINED_VAR', "'c' is undefined", "in the value of 'b'")
  })
  it('reports loops clearly', () => {
    throwsAcplay(() => t.render('{{ a }}', { a: '{{ b }}', b: '{{ a }}' }, where), 'E_TEMPLATE', 'recursive loop detected in template: a -> b -> a')
    throwsAcplay(() => t.evaluate('path', { path: '{{ path }}:/opt/bin' }), 'E_TEMPLATE', 'path -> path')
  })
})

describe("playbook values that read as Python data (Ansible's ansible_concat)", () => {
  it('a rendered True/False, list or dict becomes one, and loses the trailing newline', () => {
    assert.equal(t.templateValue('{{ flag }}\n', vars), true)
    assert.equal(t.templateValue('{{ s }}{{ flag }}', { ...vars, s: '' }), true)
    assert.deepEqual(t.templateValue("[{{ n }}, 'two']\n", vars), [5, 'two'])
    assert.deepEqual(t.templateValue("{'port': {{ pg.port }}, 'on': None}", vars), { port: 5432, on: null })
  })
  it('text that only looks like data stays text, its newline kept', () => {
    assert.equal(t.templateValue('{{ flag }} \n', vars), 'True \n')
    assert.equal(t.templateValue('{{ pg | to_json }}\n', { pg: { on: true } }), '{"on": true}\n', 'a string-type filter keeps its text')
    assert.equal(t.templateValue('[{{ s }}]\n', vars), '[x]\n', 'a bare name is not a literal')
    assert.equal(t.templateValue('[section]\nkey = {{ n }}\n', vars), '[section]\nkey = 5\n')
    assert.equal(t.templateValue('[{{ n }}]|length\n', vars), '[5]|length\n')
  })
  it('a tuple is text, its Python repr (it reads back as no literal); inside a list it stays a sequence', () => {
    assert.equal(t.templateValue("{{ '/a/b.c' | splitext }}", vars), "('/a/b', '.c')")
    assert.equal(t.templateValue('{{ (1, 2) }}', vars), '(1, 2)')
    assert.equal(JSON.stringify(t.templateValue("{{ ['/a/b.c' | splitext] }}", vars)), '[["/a/b",".c"]]')
    assert.equal(t.templateValue("{{ ('/a/b.c' | splitext)[1] }}", vars), '.c')
  })
  it('template files are text, whatever they render', () => {
    assert.equal(t.render('{{ flag }}\n', vars), 'True\n')
  })
  it("reads JSON's true, false and null as Python's (2.14's Json2Python)", () => {
    assert.deepEqual(t.templateValue('{"on": {{ flag | lower }}, "off": false, "none": null}', vars), { on: true, off: false, none: null })
    assert.deepEqual(t.templateValue("[{{ n }}, null, 'null']", vars), [5, null, 'null'])
    assert.equal(t.templateValue('[{{ n }}, none]', vars), '[5, none]', "Jinja's none is no Python literal")
  })
  it('a lone {{ expr }} whose value is text that reads as data becomes that data', () => {
    assert.deepEqual(t.templateValue("{{ '[1, 2]' }}", vars), [1, 2])
    assert.equal(t.templateValue("{{ 'True' }}", vars), true)
    assert.deepEqual(t.templateValue('{{ s }}', { s: '{"k": null}' }), { k: null })
    assert.equal(t.templateValue('{{ s }}', { s: '[x]' }), '[x]')
    assert.equal(t.templateValue('{{ s }}', { s: ' [1]' }), ' [1]', 'only text that starts with [ or {')
  })
  it("one node made by a string-type filter stays text (Ansible's NativeJinjaText), as Ansible 2.14", () => {
    const l = { l: ['0.0.0.0', '[::]'] }
    assert.equal(t.templateValue('{{ l | to_json }}', l), '["0.0.0.0", "[::]"]')
    assert.equal(t.templateValue('{%- if true -%}\n{{- l | to_json -}}\n{%- endif -%}', l), '["0.0.0.0", "[::]"]')
    assert.equal(t.templateValue('{{ l | string }}', l), "['0.0.0.0', '[::]']")
    assert.equal(t.templateValue('{{ l | to_yaml }}', l), "[0.0.0.0, '[::]']\n")
    // by the name as written: the FQCN is not wrapped; two nodes are joined and read as data
    assert.deepEqual(t.templateValue('{{ l | ansible.builtin.to_json }}', l), l.l)
    assert.deepEqual(t.templateValue('{{ l | to_json }} ', l), l.l)
    assert.deepEqual(t.templateValue("{{ l | to_json }}{{ '' }}", l), l.l)
  })
})
