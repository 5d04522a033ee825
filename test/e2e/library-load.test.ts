/**
 * Custom modules from every source (library/, a role's library/, acplay.config.json packages and
 * paths, ansible.cfg), run with ansible_connection=local, and the errors a module author meets.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { load, loadModules, run, type HostResult } from '../../engine/index.js'
import { acplay, ROOT } from '../helpers/cli.js'

const API = pathToFileURL(join(ROOT, 'dist/engine/index.js')).href

/** A module that writes `text` into `path` (fact: cat; plan: upload); `extra` is spliced into the spec. */
function moduleSource(name: string, extra = ''): string {
  return `import { defineModule } from '${API}'
export default defineModule({
  name: '${name}',
  summary: 'write a marker file (${name})',
  params: { path: { type: 'path', required: true, description: 'where' }, text: { type: 'str', default: 'hi', description: 'what' } },
  ${extra}
  async plan(p, ctx) {
    const content = { name: '${name}.content', command: (f) => ({ argv: ['cat', '--', f] }), parse: (out) => (out.rc === 0 ? out.stdout : undefined) }
    const now = await ctx.fact(content, p.path)
    if (now === p.text + '\\n') return { kind: 'ok', reason: p.path + ' says ' + p.text }
    return { kind: 'change', changes: [{ summary: 'write ' + p.path, commands: [], upload: { content: p.text + '\\n', dest: p.path } }] }
  },
})
`
}

let dir: string
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true })
  writeFileSync(join(dir, rel), text)
  return join(dir, rel)
}
const inventory = () => write('hosts.ini', 'localhost ansible_connection=local\n')
const playbook = (rel: string, tasks: string) => write(rel, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`)
const task = (module: string, path: string) => `    - name: ${module}\n      ${module}: { path: "${path}", text: "from ${module}" }\n`

async function runTwice(pb: string) {
  const opts = { playbook: pb, inventory: [inventory()] }
  const first = await run(opts)
  const second = await run(opts)
  const statuses = (rs: HostResult[]) => rs.map((r) => `${r.task.name}: ${r.status}${r.msg ? ` ${r.msg}` : ''}`)
  return { first: statuses(first.results), second: statuses(second.results), reasons: second.results.map((r) => r.reason) }
}

describe('custom modules', () => {
  before(() => (dir = mkdtempSync(join(tmpdir(), 'acplay-library-'))))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('from library/ beside the playbook and a role library/: changed, then ok with the reason', async () => {
    write('a/library/marker_a.js', moduleSource('marker_a'))
    write('a/roles/web/library/marker_role.mjs', moduleSource('marker_role'))
    write('a/roles/web/tasks/main.yml', `- name: marker_role\n  marker_role: { path: "${dir}/a/role.txt", text: "from marker_role" }\n`)
    const pb = write('a/site.yml', `- hosts: all\n  gather_facts: false\n  roles: [web]\n  tasks:\n${task('marker_a', `${dir}/a/out.txt`)}`)
    const r = await runTwice(pb)
    assert.deepEqual(r.first, ['marker_role: changed', 'marker_a: changed'])
    assert.deepEqual(r.second, ['marker_role: ok', 'marker_a: ok'])
    assert.deepEqual(r.reasons, [`${dir}/a/role.txt says from marker_role`, `${dir}/a/out.txt says from marker_a`])
    assert.equal(readFileSync(join(dir, 'a/out.txt'), 'utf8'), 'from marker_a\n')
  })

  it('from acplay.config.json: an installed package by name and a package by path', async () => {
    const pkg = (rel: string, name: string) => {
      write(`${rel}/package.json`, JSON.stringify({ name, type: 'module', exports: { '.': { import: './lib/index.js' } } }))
      write(`${rel}/lib/index.js`, moduleSource(name.replace(/-/g, '_')))
    }
    pkg('b/node_modules/acplay-marker-pkg', 'acplay-marker-pkg')
    pkg('b/vendor/marker-local', 'marker-local')
    write('b/acplay.config.json', JSON.stringify({ library: ['acplay-marker-pkg', './vendor/marker-local'] }))
    const pb = playbook('b/site.yml', task('acplay_marker_pkg', `${dir}/b/1.txt`) + task('marker_local', `${dir}/b/2.txt`))
    const r = await runTwice(pb)
    assert.deepEqual(r.first, ['acplay_marker_pkg: changed', 'marker_local: changed'])
    assert.deepEqual(r.second, ['acplay_marker_pkg: ok', 'marker_local: ok'])
  })

  it('from ansible.cfg [defaults] library (paths that do not exist are skipped, as Ansible does)', async () => {
    write('c/ansible.cfg', '[defaults]\ninventory = hosts\nlibrary = ./nope:./mods\n')
    write('c/mods/marker_cfg.js', moduleSource('marker_cfg'))
    const { custom } = await loadModules(join(dir, 'c'), { cwd: join(dir, 'c') })
    assert.deepEqual(
      custom.map((m) => [m.name, m.file]),
      [['marker_cfg', join(dir, 'c/mods/marker_cfg.js')]],
    )
    // ANSIBLE_LIBRARY wins over the file, as in Ansible (relative to the current directory)
    write('c/envmods/marker_env.js', moduleSource('marker_env'))
    process.env.ANSIBLE_LIBRARY = './envmods'
    try {
      const { custom: fromEnv } = await loadModules(join(dir, 'c'), { cwd: join(dir, 'c') })
      assert.deepEqual(
        fromEnv.map((m) => m.name),
        ['marker_env'],
      )
    } finally {
      delete process.env.ANSIBLE_LIBRARY
    }
  })

  it('from -M paths (colon-separated, repeatable, before ANSIBLE_LIBRARY), a module written for Ansible too, as ansible-playbook -M', async () => {
    write(
      'm/pymods/py_greet.py',
      '#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n' +
        "m = AnsibleModule(argument_spec=dict(name=dict(type='str', required=True)), supports_check_mode=True)\n" +
        "m.exit_json(changed=False, greeting='hello ' + m.params['name'])\n",
    )
    write('m/jsmods/marker_m.js', moduleSource('marker_m'))
    const pb = playbook(
      'm/site.yml',
      `    - name: greet\n      py_greet: { name: bob }\n      register: g\n    - name: seen\n      debug: { msg: "{{ g.greeting }}" }\n${task('marker_m', `${dir}/m/1.txt`)}`,
    )
    for (const flags of [
      ['-M', './nope:pymods', '-M', 'jsmods'],
      ['--module-path', 'pymods:jsmods'],
    ]) {
      const r = await acplay(['run', pb, '-i', inventory(), ...flags], { cwd: join(dir, 'm'), env: { ANSIBLE_LIBRARY: './nope' } })
      assert.equal(r.code, 0, r.stdout + r.stderr)
      assert.match(r.stdout, /"msg": "hello bob"/)
    }
    const without = await acplay(['run', pb, '-i', inventory()], { cwd: join(dir, 'm') })
    assert.match(without.stderr, /unknown module 'py_greet'/)
  })

  it('acplay doc lists custom modules with their file and shows their page', async () => {
    const list = await acplay(['doc', '-p', join(dir, 'a/site.yml')])
    assert.equal(list.code, 0, list.stderr)
    assert.match(list.stdout, new RegExp(`^marker_a +write a marker file \\(marker_a\\)  \\[custom: ${dir}/a/library/marker_a.js\\]$`, 'm'))
    const page = await acplay(['doc', 'marker_a'], { cwd: join(dir, 'a') })
    assert.match(page.stdout, new RegExp(`^> MARKER_A {4}\\(${dir}/a/library/marker_a.js\\)`))
    assert.match(page.stdout, /^= path\n {8}where\n {8}type: path$/m)
  })

  /**
   * load() rejects with `pattern`; the CLI prints one line (code, file, message) matching
   * `cliPattern` and exits `code` (4, like every error found before a host is touched).
   */
  const refused = async (sub: string, files: Record<string, string>, pattern: RegExp, code = 4, cliPattern = pattern) => {
    for (const [rel, text] of Object.entries(files)) write(`${sub}/${rel}`, text)
    const pb = playbook(`${sub}/site.yml`, '    - ping:\n')
    await assert.rejects(load({ playbook: pb, inventory: [inventory()] }), pattern)
    const cli = await acplay(['run', pb, '-i', inventory()])
    assert.equal(cli.code, code, cli.stderr)
    assert.match(cli.stderr, cliPattern)
    assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace')
  }

  it('a built-in module name (or alias, or FQCN) cannot be shadowed: refused, naming the file', async () => {
    await refused(
      'd',
      { 'library/copy.js': moduleSource('copy') },
      new RegExp(`module 'copy' in ${dir}/d/library/copy.js would shadow the built-in module 'copy'`),
    )
    await refused(
      'd2',
      { 'library/x.js': moduleSource('x', "aliases: ['ansible.builtin.file'],") },
      /module 'ansible.builtin.file' in .*x.js would shadow the built-in module 'file'/,
    )
    await refused('d3', { 'library/debug.js': moduleSource('debug') }, /module name 'debug' in .*debug.js is a task keyword/)
  })

  it('the same name from two sources is refused, naming both files', async () => {
    await refused(
      'e',
      { 'library/m.js': moduleSource('twice'), 'roles/r/library/m.js': moduleSource('twice') },
      new RegExp(`module 'twice' is defined twice: in ${dir}/e/library/m.js and in ${dir}/e/roles/r/library/m.js`),
    )
  })

  it('a spec with an unknown field type: E_PARAM naming the module, the argument and the file (exit 4)', async () => {
    const bad = moduleSource('typo').replace("text: { type: 'str'", "text: { type: 'string'")
    const cli = new RegExp(`^ERROR! E_PARAM: ${dir}/f/library/typo.js: module typo: argument 'text' has unknown type 'string' \\(known: str, `)
    await refused('f', { 'library/typo.js': bad }, /module typo: argument 'text' has unknown type 'string'/, 4, cli)
    await assert.rejects(loadModules(join(dir, 'f')), (e: { where?: { file?: string } }) => e.where?.file === join(dir, 'f/library/typo.js'))
  })

  it('a default of the wrong type, a missing summary, a file that exports no module, TypeScript source, a broken import', async () => {
    await refused(
      'g1',
      { 'library/m.js': moduleSource('m').replace("text: { type: 'str'", "text: { type: 'int'") },
      /module m \(.*g1\/library\/m.js\): default of 'text' is invalid: argument 'text' must be an integer, got "hi"/,
    )
    await refused(
      'g2',
      { 'library/m.js': moduleSource('m').replace(/summary: .*\n/, '') },
      /module m \(.*g2\/library\/m.js\): a one-line 'summary' is required/,
    )
    await refused('g3', { 'library/util.js': 'export const x = 1\n' }, /util.js exports no module: export default defineModule/)
    await refused(
      'g4',
      { 'library/m.ts': 'export default {}\n' },
      /m.ts: acplay loads built JavaScript modules \(.js, .mjs\); compile this TypeScript file first/,
    )
    await refused('g5', { 'library/m.js': 'import "./nope.js"\n' }, /cannot load module file .*g5\/library\/m.js: Cannot find module/)
    await refused('g6', { 'acplay.config.json': '{"library": ["not-installed-pkg"]}' }, /module package 'not-installed-pkg' is not installed/)
  })

  it('a module that throws in plan: the task fails naming the module and its file', async () => {
    write(
      'h/library/boom.js',
      moduleSource('boom').replace('async plan(p, ctx) {', "async plan(p, ctx) { if (p.text === 'boom') throw new TypeError('cannot read x of undefined')"),
    )
    const pb = playbook('h/site.yml', `    - name: explode\n      boom: { path: /nonexistent, text: boom }\n`)
    const r = await acplay(['run', pb, '-i', inventory()])
    assert.equal(r.code, 2, r.stderr + r.stdout)
    assert.match(r.stdout, new RegExp(`module boom \\(${dir}/h/library/boom.js\\) crashed in plan: cannot read x of undefined`))
  })
})
