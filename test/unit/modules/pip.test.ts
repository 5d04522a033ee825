import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runModule } from '../../../engine/module-runner.js'
import { EffectStore } from '../../../engine/effects.js'
import type { Connection } from '../../../engine/connection/types.js'
import { parseDryRunReport, parsePipEnv, pipInstalled } from '../../../modules/facts/pip.js'
import { pip } from '../../../modules/pip.js'
import { checkAbsent, checkPresent } from '../../../modules/pip/satisfied.js'
import { parseRequirement } from '../../../modules/pip/requirement.js'
import { virtualenvArgv } from '../../../modules/pip/virtualenv-command.js'
import { binPath } from '../../../modules/facts/bin-path.js'

// Recorded output of the pip.installed script in a venv with acplay-demo 2.0.0 (extra postgres) and no pgdep.
const RECORDED = JSON.stringify({
  dists: {
    pip: { version: '23.0.1', requires: [] },
    Acplay_Demo: { version: '2.0.0', requires: ['acplay-pgdep>=1.0; extra == "postgres"'] },
  },
  env: { python_version: '3.11', sys_platform: 'linux' },
})

/** A connection that answers every exec with `answer` and counts round trips. */
function fakeConn(answer: (script: string) => string): Connection & { scripts: string[] } {
  const scripts: string[] = []
  return {
    host: 'fake',
    scripts,
    get execCount() {
      return scripts.length
    },
    connectCount: 1,
    async exec(script: string) {
      scripts.push(script)
      return { rc: 0, stdout: answer(script), stderr: '' }
    },
    async close() {},
  }
}

describe('pip.installed fact', () => {
  it('parses recorded output, normalising names', () => {
    const env = parsePipEnv(`${RECORDED}\n`)
    assert.equal(env.status, 'ok')
    if (env.status !== 'ok') return
    assert.equal(env.dists['acplay-demo']?.version, '2.0.0')
    assert.equal(env.env?.python_version, '3.11')
  })
  it('parses absent and broken', () => {
    assert.deepEqual(parsePipEnv('ACPLAY_ABSENT\n'), { status: 'absent' })
    assert.deepEqual(parsePipEnv('ACPLAY_BROKEN /v has no bin/python\n'), { status: 'broken', detail: '/v has no bin/python' })
  })
  it('passes the venv path as a positional argument', () => {
    const cmd = pipInstalled.command({ venv: '/opt/a b;$(x)' })
    assert.equal(cmd.argv[0], 'sh')
    assert.equal(cmd.argv[5], '/opt/a b;$(x)')
    assert.ok(!cmd.argv[2]!.includes('/opt/a b'))
  })
  it("reads a venv's dist-info and egg-info directories and a distutils egg-info file (Debian's pexpect)", () => {
    const venv = mkdtempSync(join(tmpdir(), 'acplay-pip-fact-'))
    try {
      const site = join(venv, 'lib', 'python3.11', 'site-packages')
      mkdirSync(join(venv, 'bin'))
      symlinkSync(spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim(), join(venv, 'bin', 'python'))
      for (const d of ['a-1.0.dist-info', 'b-2.0.egg-info']) mkdirSync(join(site, d), { recursive: true })
      writeFileSync(join(site, 'a-1.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: a\nVersion: 1.0\n')
      writeFileSync(join(site, 'b-2.0.egg-info', 'PKG-INFO'), 'Metadata-Version: 1.1\nName: b\nVersion: 2.0\n')
      writeFileSync(join(site, 'pexpect-4.8.0.egg-info'), 'Metadata-Version: 1.1\nName: pexpect\nVersion: 4.8.0\n\nlong description\n')
      const { argv } = pipInstalled.command({ venv })
      const out = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
      const env = parsePipEnv(out.stdout)
      assert.equal(env.status, 'ok', out.stdout + out.stderr)
      if (env.status !== 'ok') return
      assert.deepEqual(Object.fromEntries(Object.entries(env.dists).map(([k, d]) => [k, d.version])), { a: '1.0', b: '2.0', pexpect: '4.8.0' })
      assert.ok(
        Object.values(env.dists).every((d) => !d.distro),
        "a venv's packages are never the distribution's",
      )
    } finally {
      rmSync(venv, { recursive: true, force: true })
    }
  })
  it("marks what a system Python reads from the distribution's dist-packages under /usr (Debian), never a venv's", () => {
    const deb = '/usr/lib/python3/dist-packages'
    const local = spawnSync('sh', ['-c', 'ls -d /usr/local/lib/python3*/dist-packages/* 2>/dev/null'], { encoding: 'utf8' }).stdout
    const key = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-')
    // a distribution Debian installed and nothing under /usr/local shadows
    const name = (existsSync(deb) ? readdirSync(deb) : [])
      .filter((e) => e.endsWith('.dist-info') && existsSync(join(deb, e, 'METADATA')))
      .map((e) => /^Name:\s*(.+)$/m.exec(readFileSync(join(deb, e, 'METADATA'), 'utf8'))?.[1]?.trim())
      .find((n) => n && !local.toLowerCase().includes(`/${key(n).replaceAll('-', '_')}-`))
    if (!name || !existsSync('/usr/bin/python3')) return assert.ok(true, "not Debian's Python: nothing installed under /usr/lib/python3/dist-packages")
    const { argv } = pipInstalled.command({ python: '/usr/bin/python3' })
    const env = parsePipEnv(spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' }).stdout)
    assert.equal(env.status, 'ok')
    if (env.status !== 'ok') return
    assert.equal(env.dists[key(name)]?.distro, true, `${name} from ${deb}`)
  })
  it('parses a dry-run report', () => {
    const report = '{"version": "1", "install": [{"metadata": {"name": "Acplay_Demo", "version": "2.0.0"}, "requested": true}]}'
    assert.deepEqual(parseDryRunReport(report), [{ name: 'acplay-demo', version: '2.0.0' }])
    assert.deepEqual(parseDryRunReport('{"version": "1", "install": []}'), [])
  })
})

describe('checkPresent', () => {
  const env = parsePipEnv(RECORDED)
  const dists = env.status === 'ok' ? env.dists : {}
  it('satisfied with a reason', () => {
    const v = checkPresent(parseRequirement('acplay_demo==2.0.*'), dists)
    assert.equal(v.satisfied, true)
    assert.equal(v.why, 'acplay_demo 2.0.0 satisfies ==2.0.*')
  })
  it('wrong version', () => {
    const v = checkPresent(parseRequirement('acplay-demo==1.1.0'), dists)
    assert.equal(v.satisfied, false)
    assert.match(v.why, /2\.0\.0 is installed, wanted ==1\.1\.0/)
  })
  it('a requested extra whose dependency is missing', () => {
    const v = checkPresent(parseRequirement('acplay-demo[postgres]'), dists, { python_version: '3.11' })
    assert.equal(v.satisfied, false)
    assert.match(v.why, /extra \[postgres\] needs acplay-pgdep>=1.0/)
    const ok = checkPresent(parseRequirement('acplay-demo[postgres]'), { ...dists, 'acplay-pgdep': { version: '1.0.0' } }, {})
    assert.equal(ok.satisfied, true)
  })
  it('a simulated install of unknown version', () => {
    assert.equal(checkPresent(parseRequirement('x==1'), { x: { version: null } }).satisfied, 'unknown')
    assert.equal(checkPresent(parseRequirement('x'), { x: { version: null } }).satisfied, true)
  })
})

describe('checkAbsent', () => {
  const six = { version: '1.16.0', distro: true as const }
  it("a package the distribution installed stays when the distribution's pip runs (or none is there yet)", () => {
    const kept = checkAbsent(parseRequirement('six'), { six, pip: { version: '23.0.1', distro: true } })
    assert.equal(kept.satisfied, true)
    assert.equal(kept.why, "six 1.16.0 is the distribution's (its dist-packages under /usr), which its pip does not uninstall")
    assert.equal(checkAbsent(parseRequirement('six'), { six }).satisfied, true)
  })
  it('a pip of its own (say under /usr/local) removes it; so does any pip a package of its own', () => {
    assert.equal(checkAbsent(parseRequirement('six'), { six, pip: { version: '24.0' } }).satisfied, false)
    assert.equal(checkAbsent(parseRequirement('six'), { six: { version: '1.16.0' }, pip: { version: '23.0.1', distro: true } }).satisfied, false)
  })
})

describe('pip planner with recorded facts', () => {
  const conn = () => fakeConn(() => RECORDED)
  it('ok when satisfied: one round trip, with a reason', async () => {
    const c = conn()
    const r = await runModule(pip, { name: ['acplay-demo>=2'], virtualenv: '/opt/v' }, { conn: c, check: true, diff: false })
    assert.equal(r.status, 'ok')
    assert.equal(r.reason, 'acplay-demo 2.0.0 satisfies >=2')
    assert.equal(c.execCount, 1)
  })
  it('plans the install of what is missing (extras deps)', async () => {
    const r = await runModule(
      pip,
      { name: ['acplay-demo[postgres]==2.0.0', 'pip'], virtualenv: '/opt/v', index_url: 'http://10.231.1.1/simple/' },
      { conn: conn(), check: true, diff: false },
    )
    assert.equal(r.status, 'changed')
    assert.match(r.changes[0]!.summary, /^install acplay-demo\[postgres\]==2\.0\.0 \(.*needs acplay-pgdep/)
    assert.deepEqual(r.data.cmd, ['/opt/v/bin/python', '-m', 'pip', 'install', '--index-url', 'http://10.231.1.1/simple/', 'acplay-demo[postgres]==2.0.0'])
  })
  it('absent: uninstalls only what is there', async () => {
    const r = await runModule(pip, { name: ['acplay-demo', 'nothere'], state: 'absent', virtualenv: '/opt/v' }, { conn: conn(), check: true, diff: false })
    assert.deepEqual(r.data.cmd, ['/opt/v/bin/python', '-m', 'pip', 'uninstall', '--yes', 'acplay-demo'])
  })
  it("absent: changed only when pip says it uninstalled (Debian's pip leaves the distribution's packages, exit 0)", async () => {
    const run = (said: string) =>
      runModule(
        pip,
        { name: ['acplay-demo'], state: 'absent', executable: 'pip3' },
        {
          conn: fakeConn((script) => (script.includes('uninstall') ? said : RECORDED)),
          check: false,
          diff: false,
        },
      )
    const kept = await run(
      "Not uninstalling acplay-demo at /usr/lib/python3/dist-packages, outside environment /usr\nCan't uninstall 'acplay-demo'. No files were found to uninstall.\n",
    )
    assert.equal(kept.status, 'ok', kept.msg)
    assert.equal(kept.reason, "pip uninstalled nothing: Can't uninstall 'acplay-demo'. No files were found to uninstall.")
    const gone = await run('Found existing installation: acplay-demo 2.0.0\nUninstalling acplay-demo-2.0.0:\n  Successfully uninstalled acplay-demo-2.0.0\n')
    assert.equal(gone.status, 'changed', gone.msg)
  })
  it("present: changed only when pip says it installed something, as Ansible's pip decides (check mode keeps the prediction)", async () => {
    const run = (said: string, check = false) =>
      runModule(
        pip,
        { name: ['acplay-other'], executable: 'pip3' },
        { conn: fakeConn((script) => (script.includes(' install ') ? said : RECORDED)), check, diff: false },
      )
    const predicted = await run('', true)
    assert.equal(predicted.status, 'changed', 'acplay-other is not among the dists read: the plan installs it')
    const satisfied = await run('Requirement already satisfied: acplay-other in /usr/lib/python3/dist-packages (1.0)\n')
    assert.equal(satisfied.status, 'ok', satisfied.msg)
    assert.equal(satisfied.reason, 'pip installed nothing: Requirement already satisfied: acplay-other in /usr/lib/python3/dist-packages (1.0)')
    const installed = await run(
      'Collecting acplay-other\n  Using cached acplay_other-1.0-py3-none-any.whl\nInstalling collected packages: acplay-other\nSuccessfully installed acplay-other-1.0\n',
    )
    assert.equal(installed.status, 'changed', installed.msg)
  })
  it('present into a venv it creates: changed, whatever pip says (Ansible: changed or venv_created)', async () => {
    const r = await runModule(
      pip,
      { name: ['acplay-demo'], virtualenv: '/opt/v2', virtualenv_command: '/usr/bin/python3 -m venv' },
      {
        conn: fakeConn((script) => (script.includes(' install ') ? 'Requirement already satisfied: acplay-demo\n' : 'ACPLAY_ABSENT')),
        check: false,
        diff: false,
      },
    )
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(r.changes.map((x) => x.summary)[0], 'create virtualenv /opt/v2')
  })
  it('plans venv creation + install when the venv is missing, and later tasks see the effect', async () => {
    const effects = new EffectStore()
    const c = fakeConn(() => 'ACPLAY_ABSENT')
    const r = await runModule(pip, { name: ['acplay-demo==1.0.0'], virtualenv: '/opt/new venv' }, { conn: c, check: true, diff: false, effects })
    assert.equal(r.status, 'changed')
    assert.deepEqual(
      r.changes.map((x) => x.summary),
      ['create virtualenv /opt/new venv', 'install acplay-demo==1.0.0 (acplay-demo is not installed)'],
    )
    assert.deepEqual(effects.get('pip.installed', '/opt/new venv'), { status: 'ok', dists: { 'acplay-demo': { version: '1.0.0' } } })
    const again = await runModule(pip, { name: ['acplay-demo==1.0.0'], virtualenv: '/opt/new venv' }, { conn: c, check: true, diff: false, effects })
    assert.equal(again.status, 'ok', 'a later task in check mode plans against the effect')
    assert.equal(c.execCount, 1, 'the effect is read instead of the host')
    const other = await runModule(pip, { name: ['acplay-demo>=1.1'], virtualenv: '/opt/new venv' }, { conn: c, check: true, diff: false, effects })
    assert.equal(other.status, 'changed')
    const latest = await runModule(pip, { name: ['acplay-demo'], state: 'latest', virtualenv: '/opt/new venv' }, { conn: c, check: true, diff: false, effects })
    assert.match(latest.changes[0]!.summary, /would change \(depends on an earlier change\)/)
  })
  it('bad arguments fail before touching the host, naming the argument', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: ['x'], bogus: 1 }, /unknown argument 'bogus'/],
      [{ name: ['x'], state: 'installed' }, /argument 'state' must be one of/],
      [{ name: ['x'], requirements: 'r.txt' }, /mutually exclusive: name, requirements/],
      [{}, /one of these arguments is required: name, requirements/],
      [{ name: ['x>=2.*'], virtualenv: '/v' }, /name: .*only allowed with == and !=/],
      [{ name: ['x', 'y'], version: '1.0', virtualenv: '/v' }, /version can only be used with exactly one name/],
      [{ name: ['x'], virtualenv: 'rel' }, /virtualenv must be an absolute path/],
      [{ name: ['x'], virtualenv: '/v', extra_args: '"unterminated' }, /extra_args: no closing quotation/],
      [{ name: ['x;rm -rf /'], virtualenv: '/v' }, /requirement "x;rm -rf \/": unknown marker variable "rm"/],
    ]
    for (const [args, msg] of cases) {
      const c = fakeConn(() => {
        throw new Error('must not touch the host')
      })
      const r = await runModule(pip, args, { conn: c, check: false, diff: false })
      assert.equal(r.status, 'failed', JSON.stringify(args))
      assert.match(r.msg!, msg)
      assert.equal(c.execCount, 0)
    }
  })
})

describe("the virtualenv command (Ansible's setup_virtualenv)", () => {
  it('virtualenv gets -p: virtualenv_python, else the interpreter the module runs with', () => {
    assert.deepEqual(virtualenvArgv('virtualenv', undefined, 'python3'), ['virtualenv', '-ppython3'])
    assert.deepEqual(virtualenvArgv('/usr/bin/virtualenv --copies', 'python3.11', 'python3'), ['/usr/bin/virtualenv', '--copies', '-ppython3.11'])
  })
  it('-m venv and pyvenv get nothing, and refuse virtualenv_python', () => {
    assert.deepEqual(virtualenvArgv('python3 -m venv', undefined, 'python3'), ['python3', '-m', 'venv'])
    assert.deepEqual(virtualenvArgv('pyvenv-3.11', undefined, 'python3'), ['pyvenv-3.11'])
    assert.throws(() => virtualenvArgv('python3 -m venv', 'python3.11', 'python3'), /virtualenv_python should not be used when using the venv module or pyvenv/)
    assert.throws(() => virtualenvArgv('"unterminated', undefined, 'python3'), /virtualenv_command: no closing quotation/)
  })
  it("the program is looked for on the host and, when missing, fails in Ansible's words (check mode plans the venv)", async () => {
    const answer = (script: string) => (script.includes('binpath') ? 'missing\n/usr/local/bin:/usr/bin:/bin:/sbin\n' : 'ACPLAY_ABSENT\n')
    const real = await runModule(pip, { name: ['x'], virtualenv: '/opt/v' }, { conn: fakeConn(answer), check: false, diff: false })
    assert.equal(real.status, 'failed')
    assert.equal(real.msg, 'Failed to find required executable "virtualenv" in paths: /usr/local/bin:/usr/bin:/bin:/sbin')
    const check = await runModule(pip, { name: ['x'], virtualenv: '/opt/v' }, { conn: fakeConn(answer), check: true, diff: false })
    assert.equal(check.status, 'changed', check.msg)
    assert.deepEqual(binPath.parse({ rc: 0, stdout: 'found\n/usr/bin/virtualenv\n', stderr: '' }, 'virtualenv'), { found: '/usr/bin/virtualenv' })
  })
})
