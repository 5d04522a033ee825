/**
 * The public API from the BUILT package, as a user gets it: `npm pack`, install the tarball into a
 * fresh project, type-check a TypeScript consumer against the shipped .d.ts (strict, no skipLibCheck),
 * and run a playbook programmatically with ansible_connection=local, a custom module included.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ROOT } from '../helpers/cli.js'

const CONSUMER = `import { defineModule, load, loadInventory, modules, run, validateParams, type HostResult, type RunSummary } from 'acplay'

const [playbook, inventoryFile, out] = process.argv.slice(2) as [string, string, string]

export const touch = defineModule({
  name: 'touch_file',
  summary: 'create an empty file',
  params: { path: { type: 'path', required: true, description: 'the file' }, mode: { type: 'str', default: '0600', description: 'its mode' } },
  async plan(p, ctx) {
    const path: string = p.path
    const mode: string = p.mode
    // @ts-expect-error params are typed from the spec: path is a string
    const wrong: number = p.path
    void wrong
    const st = await ctx.run({ argv: ['stat', '-c', '%a', '--', path] })
    if (st.rc === 0 && st.stdout.trim() === mode.replace(/^0/, '')) return { kind: 'ok', reason: \`\${path} exists with mode \${mode}\` }
    return { kind: 'change', changes: [{ summary: \`touch \${path}\`, commands: [{ argv: ['install', '-m', mode, '/dev/null', path] }] }] }
  },
})

const inventory = await loadInventory([inventoryFile])
const opts = { playbook, inventory: [inventoryFile], extraVars: { out } }
const loaded = await load(opts, { ...modules, touch_file: touch })
const first: RunSummary = await run(opts, loaded)
const second: RunSummary = await run(opts, loaded)
const show = (r: HostResult) => \`\${r.task.name}: \${r.status}\${r.reason ? \` (\${r.reason})\` : ''}\`
console.log(JSON.stringify({
  hosts: inventory.select('all'),
  connection: inventory.hostVars('localhost').ansible_connection,
  first: first.results.map(show),
  second: second.results.map(show),
  exitCodes: [first.exitCode, second.exitCode],
  recap: second.recap,
  builtins: Object.keys(modules).length,
  defaults: validateParams(touch, { path: '/x' }),
}))
`

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a file by a built-in module
      copy: { dest: "{{ out }}/greeting.txt", content: "hello\\n", mode: "0644" }
    - name: a file by a module defined in TypeScript
      touch_file: { path: "{{ out }}/marker" }
`

describe('the public API from the packed package', () => {
  let dir: string
  const project = () => join(dir, 'project')
  const sh = (cmd: string, args: string[], cwd: string) =>
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 })

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-api-'))
    const packed = sh('npm', ['pack', '--silent', '--pack-destination', dir], ROOT).trim().split('\n').pop()!
    mkdirSync(join(project(), 'out'), { recursive: true })
    writeFileSync(join(project(), 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    sh('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', join(dir, packed)], project())
    writeFileSync(join(project(), 'main.ts'), CONSUMER)
    writeFileSync(join(project(), 'site.yml'), PLAYBOOK)
    writeFileSync(join(project(), 'hosts.ini'), 'localhost ansible_connection=local\n')
    // the consumer's compiler settings as a user would have them: strict NodeNext, .d.ts checked too
    const typeRoots = [join(ROOT, 'node_modules/@types')]
    writeFileSync(
      join(project(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          outDir: 'build',
          typeRoots,
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the tarball ships the engine, the modules and their .d.ts, not the tests', () => {
    const pkg = JSON.parse(readFileSync(join(project(), 'node_modules/acplay/package.json'), 'utf8')) as { exports: Record<string, unknown> }
    assert.deepEqual(Object.keys(pkg.exports), ['.', './package.json'])
    const files = sh('find', ['node_modules/acplay', '-name', '*.d.ts'], project())
    assert.match(files, /node_modules\/acplay\/dist\/engine\/index\.d\.ts/)
    assert.match(files, /node_modules\/acplay\/dist\/modules\/types\.d\.ts/)
    assert.doesNotMatch(files, /dist\/test\//)
  })

  it('a TypeScript consumer type-checks against the shipped types (typed params, typed results)', () => {
    try {
      sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], project())
    } catch (e) {
      assert.fail(`tsc failed:\n${(e as { stdout?: string }).stdout}`)
    }
  })

  it('runs a playbook programmatically: built-in and custom modules, changed then ok, typed results', () => {
    const out = join(project(), 'out')
    const printed = sh(process.execPath, ['build/main.js', 'site.yml', 'hosts.ini', out], project())
    const r = JSON.parse(printed) as {
      hosts: string[]
      connection: string
      first: string[]
      second: string[]
      exitCodes: number[]
      recap: { host: string; ok: number; changed: number }[]
      builtins: number
      defaults: unknown
    }
    assert.deepEqual([r.hosts, r.connection], [['localhost'], 'local'])
    assert.deepEqual(r.first, ['a file by a built-in module: changed', 'a file by a module defined in TypeScript: changed'])
    assert.match(r.second[0]!, /^a file by a built-in module: ok \(.+\)$/, 'every ok carries a reason')
    assert.equal(r.second[1], `a file by a module defined in TypeScript: ok (${out}/marker exists with mode 0600)`)
    assert.deepEqual(r.exitCodes, [0, 0])
    assert.deepEqual(
      r.recap.map((h) => [h.host, h.ok, h.changed]),
      [['localhost', 2, 0]],
    )
    assert.ok(r.builtins >= 10)
    assert.deepEqual(r.defaults, { path: '/x', mode: '0600' })
    assert.equal(readFileSync(join(out, 'greeting.txt'), 'utf8'), 'hello\n')
  })

  it('internal paths are not part of the API: deep imports are refused by the exports map', () => {
    const script = "import('acplay/dist/engine/run.js').then(() => console.log('imported'), (e) => console.log(e.code))"
    assert.equal(sh(process.execPath, ['--input-type=module', '-e', script], project()).trim(), 'ERR_PACKAGE_PATH_NOT_EXPORTED')
  })
})
