/** shlex-like splitting, the command/shell planners' argv, and the result shape. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { execCommand, interpretExec } from '../../../modules/command/exec-plan.js'
import { ansibleDelta, ansibleTime } from '../../../modules/command/times.js'
import { firstWord, shlexSplit as splitArgs } from '../../../engine/connection/shlex.js'

describe('splitArgs (shlex.split, POSIX)', () => {
  it('splits like Python shlex', () => {
    assert.deepEqual(splitArgs('echo  hello   world'), ['echo', 'hello', 'world'])
    assert.deepEqual(splitArgs(`a 'b c' "d \\"e\\" \\$f \\x" g\\ h ''`), ['a', 'b c', 'd "e" $f \\x', 'g h', ''])
    assert.deepEqual(splitArgs(`x'y'"z"`), ['xyz'])
    assert.deepEqual(splitArgs('a ; b | c > d'), ['a', ';', 'b', '|', 'c', '>', 'd'])
    assert.deepEqual(splitArgs('  '), [])
    assert.deepEqual(splitArgs('a\n\tb'), ['a', 'b'])
  })
  it('refuses unbalanced quotes and a trailing backslash', () => {
    assert.throws(() => splitArgs("echo 'x"), /no closing quotation/)
    assert.throws(() => splitArgs('echo "x'), /no closing quotation/)
    assert.throws(() => splitArgs('echo x\\'), /trailing backslash/)
  })
  it("firstWord: script's path and its arguments as written", () => {
    assert.deepEqual(firstWord('files/run.sh --name "two words" $HOME'), { word: 'files/run.sh', rest: ' --name "two words" $HOME' })
    assert.deepEqual(firstWord(`'my script.sh' a`), { word: 'my script.sh', rest: ' a' })
    assert.deepEqual(firstWord('run.sh'), { word: 'run.sh', rest: '' })
    assert.equal(firstWord('   '), undefined)
  })
})

describe('command execution plan', () => {
  it('argv as is; chdir as a positional argument; stdin with the newline', () => {
    assert.deepEqual(execCommand(['ls', '-l'], { stdin_add_newline: true }), { argv: ['ls', '-l'] })
    const c = execCommand(['pwd'], { chdir: "/tmp/a 'b'", stdin: 'x', stdin_add_newline: true })
    assert.deepEqual(c.argv.slice(3), ['sh', "/tmp/a 'b'", 'pwd'])
    assert.equal(c.stdin, 'x\n')
    assert.equal(execCommand(['cat'], { stdin: 'x', stdin_add_newline: false }).stdin, 'x')
  })
  // 2026-12-02 18:25:06.084709 UTC, 16082 µs later (as Ansible printed them for `ls /nonexistent-dir`)
  const startUs = Date.UTC(2026, 11, 2, 18, 25, 6, 84) * 1000 + 709
  const ran = { startUs, endUs: startUs + 16082 }
  it("result: Ansible's keys; trailing newlines stripped, lines split, non-zero rc fails (changed: it ran)", () => {
    const ok = interpretExec(['echo'], { rc: 0, stdout: 'a\nb\n\n', stderr: '', ...ran })
    assert.equal(ok.failed, false)
    const { start, end, ...rest } = ok.data!
    assert.deepEqual(rest, {
      cmd: ['echo'],
      rc: 0,
      stdout: 'a\nb',
      stderr: '',
      stdout_lines: ['a', 'b'],
      stderr_lines: [],
      delta: '0:00:00.016082',
      changed: true,
      msg: '',
    })
    assert.match(String(start), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    assert.match(String(end), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    const f = interpretExec('exit 2', { rc: 2, stdout: '', stderr: 'boom\n', ...ran })
    assert.equal(f.failed, true)
    assert.equal(f.msg, 'non-zero return code')
    assert.deepEqual(f.data?.stderr_lines, ['boom'])
    assert.equal(f.data?.changed, true)
    assert.equal(f.data?.msg, undefined, 'the failure message is the outcome msg')
  })
  it("start/end/delta in Ansible's formats (Python's datetime and str(timedelta))", () => {
    const prev = process.env.TZ
    process.env.TZ = 'UTC'
    try {
      assert.equal(ansibleTime(startUs), '2026-12-02 18:25:06.084709')
      assert.equal(ansibleTime(startUs + 999_291), '2026-12-02 18:25:07.084000')
    } finally {
      if (prev === undefined) delete process.env.TZ
      else process.env.TZ = prev
    }
    assert.equal(ansibleDelta(16082), '0:00:00.016082')
    assert.equal(ansibleDelta(1_000_000), '0:00:01')
    assert.equal(ansibleDelta(((26 * 60 + 3) * 60 + 4) * 1_000_000 + 5), '1 day, 2:03:04.000005')
    assert.equal(ansibleDelta(3 * 86_400_000_000), '3 days, 0:00:00')
    assert.equal(ansibleDelta(-5), '0:00:00')
  })
  it('strip_empty_ends: false keeps the trailing newlines (stdout_lines as Python splitlines)', () => {
    const r = interpretExec(['echo'], { rc: 0, stdout: 'a\nb\n\n', stderr: '', startUs: 0, endUs: 0 }, false)
    assert.equal(r.data?.stdout, 'a\nb\n\n')
    assert.deepEqual(r.data?.stdout_lines, ['a', 'b', ''])
  })
})
