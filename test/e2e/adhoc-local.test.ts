/**
 * `acplay adhoc` against Debian's `ansible` (the ad-hoc command) on the controller (local
 * connection): the same output, byte for byte, and the same exit code, for text modules (command,
 * shell: rc and output, a failure), JSON modules (ping, debug with key=value and JSON -a), -o, a
 * pattern that matches nothing, -e, -B/-P (background jobs); -t's files (the tree callback); the errors before any host is touched, and what errors name.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const RUNS: string[][] = [
  ['localhost', '-m', 'ping'],
  ['localhost', '-m', 'ping', '-o'],
  ['localhost', '-a', 'echo hello'],
  ['localhost', '-a', 'printf "%s\\n" one two', '-o'],
  ['localhost', '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'],
  ['localhost', '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3', '-o'],
  ['localhost', '-m', 'debug', '-a', 'msg=hello'],
  ['localhost', '-m', 'ansible.builtin.debug', '-a', '{"msg": {"b": [1, 2], "a": "x"}}'],
  ['localhost', '-m', 'debug', '-a', 'msg={{ greeting }}', '-e', 'greeting=hi'],
  // "verbose always" results (debug's, assert's unless quiet): -o keeps their indentation, debug its clean copy
  ['localhost', '-m', 'debug', '-a', 'msg=hi', '-o'],
  ['localhost', '-m', 'assert', '-a', 'that=1==2', '-o'],
  ['localhost', '-m', 'assert', '-a', 'that=1==1 quiet=true', '-o'],
  // -B/-P: a background job polled to its end, started and left (-P 0), failing; JSON whatever the module
  ['localhost', '-B', '10', '-P', '1', '-a', 'echo polled'],
  ['localhost', '-B', '10', '-P', '0', '-a', 'echo started'],
  ['localhost', '-B', '10', '-P', '0', '-m', 'shell', '-a', 'true', '-o'],
  ['localhost', '-B', '10', '-P', '1', '-m', 'shell', '-a', 'echo out; exit 3'],
  ['web', '-m', 'ping'],
  // --task-timeout: Ansible's words; --playbook-dir: its group_vars; debug's var without changed
  ['localhost', '--task-timeout', '1', '-m', 'ansible.builtin.shell', '-a', 'sleep 3'],
  ['localhost', '-m', 'debug', '-a', 'var=from_dir', '--playbook-dir', 'pdir'],
  ['all', '--list-hosts'],
  ['all', '--list-hosts', '-l', 'localhost'],
]

/** A command's start, end and delta differ from run to run, and so does a background job's id. */
const times = (out: string) => out.replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "T"').replace(/j\d+\.\d+/g, 'JID')

// a fixed interpreter: no discovered_interpreter_python fact in Ansible's results (acplay has none)
const PYTHON = { ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }

describe('acplay adhoc as the ansible command (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('adhoc', { 'pdir/group_vars/all.yml': 'from_dir: here\n', 'empty.ini': '' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('prints what ansible prints and exits as it does', async () => {
    for (const args of RUNS) {
      const [ours, theirs] = await Promise.all([
        acplay(['adhoc', ...args, '-i', 'hosts.ini'], { cwd: dir }),
        capture(['ansible', ...args, '-i', 'hosts.ini'], { cwd: dir, env: PYTHON }),
      ])
      assert.equal(times(ours.stdout), times(theirs.stdout), args.join(' '))
      assert.equal(ours.code, theirs.code, `${args.join(' ')}: ${ours.stderr}`)
    }
  })

  it('warns of its targets as ansible does: a pattern or --limit matching nothing, an inventory without hosts', async () => {
    const cases: string[][] = [
      ['nomatch', '-m', 'ping', '-i', 'hosts.ini'],
      ['nomatch', '--list-hosts', '-i', 'hosts.ini'],
      ['localhost', '-m', 'ping', '-l', 'nomatch', '-i', 'hosts.ini'],
      ['localhost', '-m', 'ping', '-i', 'empty.ini'],
      ['all', '-m', 'ping', '-i', 'empty.ini'],
    ]
    // the words of acplay's error are its own (E_NO_HOSTS, naming the limit): its warnings are Ansible's
    const warnings = (err: string) => err.split('\n').filter((l) => !l.startsWith('ERROR!'))
    for (const args of cases) {
      const [ours, theirs] = await Promise.all([acplay(['adhoc', ...args], { cwd: dir }), capture(['ansible', ...args], { cwd: dir, env: PYTHON })])
      const what = `${args.join(' ')}: ${ours.stderr}`
      assert.deepEqual(warnings(ours.stderr), warnings(theirs.stderr), what)
      assert.equal(ours.code, theirs.code, what)
      assert.equal(times(ours.stdout), times(theirs.stdout), what)
    }
  })

  it('refuses a command without -a and a module that does not exist, before touching a host', async () => {
    let r = await acplay(['adhoc', 'localhost', '-i', 'hosts.ini'], { cwd: dir })
    assert.equal(r.code, 5)
    assert.match(r.stderr, /No argument passed to command module/)
    r = await acplay(['adhoc', 'localhost', '-m', 'no_such_module', '-i', 'hosts.ini'], { cwd: dir })
    assert.equal(r.code, 5)
    assert.match(r.stderr, /no module named 'no_such_module'/)
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr)
  })

  it('names the -m and -a the user typed in its errors, not the play it writes for them', async () => {
    let r = await acplay(['adhoc', 'localhost', '-m', 'copy', '-a', 'dest=/tmp/x bogus=1', '-i', 'hosts.ini'], { cwd: dir })
    assert.equal(r.code, 4)
    assert.match(r.stderr, /^ERROR! E_PARAM: -m copy -a "dest=\/tmp\/x bogus=1": unknown argument 'bogus' for module copy/)
    r = await acplay(['adhoc', 'localhost', '-m', 'debug', '-a', 'msg={{ nowhere }}', '-i', 'hosts.ini'], { cwd: dir })
    assert.equal(r.code, 2)
    assert.match(r.stdout, /"msg": "E_UNDEFINED_VAR: -m debug -a \\"msg=\{\{ nowhere \}\}\\": 'nowhere' is undefined/)
    assert.ok(!/acplay-adhoc/.test(r.stdout + r.stderr), r.stdout + r.stderr)
  })

  it('writes with -t the files ansible writes, host by host', async () => {
    const TREE_RUNS: string[][] = [
      ['localhost', '-m', 'ping'],
      ['localhost', '-m', 'shell', '-a', 'echo out; echo ärr >&2; exit 3'],
      ['localhost', '-a', 'printf "%s\\n" one two', '-o'],
      ['localhost', '-m', 'debug', '-a', 'msg=hello'],
      ['localhost', '-m', 'debug', '-a', 'var=inventory_hostname', '-o'],
      ['localhost', '-m', 'assert', '-a', '{"that": "1==2", "quiet": true}'],
    ]
    for (const args of TREE_RUNS) {
      rmSync(join(dir, 'ours'), { recursive: true, force: true })
      rmSync(join(dir, 'theirs'), { recursive: true, force: true })
      const [ours, theirs] = await Promise.all([
        acplay(['adhoc', ...args, '-i', 'hosts.ini', '-t', 'ours'], { cwd: dir }),
        capture(['ansible', ...args, '-i', 'hosts.ini', '-t', 'theirs'], { cwd: dir, env: PYTHON }),
      ])
      assert.equal(ours.code, theirs.code, `${args.join(' ')}: ${ours.stderr}`)
      const files = readdirSync(join(dir, 'theirs'))
      assert.deepEqual(readdirSync(join(dir, 'ours')), files, args.join(' '))
      for (const f of files)
        assert.equal(times(readFileSync(join(dir, 'ours', f), 'utf8')), times(readFileSync(join(dir, 'theirs', f), 'utf8')), `${args.join(' ')}: ${f}`)
    }
  })
})
