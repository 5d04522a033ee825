/** shlex-like splitting, the command/shell planners' argv, and the result shape. */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { execCommand, interpretExec, planExec } from '../../../modules/command/exec-plan.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'
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
  it('the argv and chdir as positional arguments of its own script; stdin with the newline', () => {
    const c = execCommand(['pwd'], { chdir: "/tmp/a 'b'", stdin: 'x', stdin_add_newline: true })
    assert.equal(c.inline, true)
    assert.deepEqual(c.argv.slice(3), ['sh', "/tmp/a 'b'", 'pwd'])
    assert.equal(c.stdin, 'x\n')
    assert.deepEqual(execCommand(['ls', '-l'], { stdin_add_newline: true }).argv.slice(3), ['sh', '', 'ls', '-l'])
    assert.equal(execCommand(['cat'], { stdin: 'x', stdin_add_newline: false }).stdin, 'x')
  })

  // the script under the host's /bin/sh, as the engine runs it; then the result Ansible gives
  const runReal = (argv: string[], chdir?: string, env: Record<string, string> = {}) => {
    const c = execCommand(argv, { chdir, stdin_add_newline: false })
    const r = spawnSync('/bin/sh', c.argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } })
    return interpretExec(argv, { rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, startUs: 0, endUs: 0 })
  }
  it("a program that cannot start fails as Python's subprocess does in Ansible: errno, b'name', not changed", () => {
    const dir = mkdtempSync(join(tmpdir(), 'acplay-exec-'))
    try {
      writeFileSync(join(dir, 'noexec'), 'echo hi\n', { mode: 0o644 })
      mkdirSync(join(dir, 'bin'))
      writeFileSync(join(dir, 'bin', 'noexec'), '#!/bin/sh\necho from-bin\n', { mode: 0o755 })
      const missing = runReal(['no-such-prögram', 'a b'])
      assert.equal(missing.failed, true)
      assert.equal(missing.msg, "[Errno 2] No such file or directory: b'no-such-pr\\xc3\\xb6gram'")
      assert.deepEqual(missing.data, { cmd: "'no-such-prögram' 'a b'", rc: 2, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], changed: false })
      assert.equal(runReal([dir]).msg, `[Errno 13] Permission denied: b'${dir}'`)
      assert.equal(runReal([join(dir, 'noexec')]).data?.rc, 13)
      // PATH is searched as execvp does: a non-executable match is remembered, a later executable one runs
      assert.equal(runReal(['noexec'], undefined, { PATH: dir }).msg, "[Errno 13] Permission denied: b'noexec'")
      assert.equal(runReal(['noexec'], undefined, { PATH: `${dir}:${join(dir, 'bin')}` }).data?.stdout, 'from-bin')
      const noDir = runReal(['ls'], join(dir, 'gone'))
      assert.equal(noDir.msg, `Unable to change directory before execution: [Errno 2] No such file or directory: b'${join(dir, 'gone')}'`)
      assert.deepEqual(noDir.data, {
        cmd: ['ls'],
        rc: null,
        start: null,
        end: null,
        delta: null,
        stdout: '',
        stderr: '',
        stdout_lines: [],
        stderr_lines: [],
        changed: false,
      })
      assert.match(String(runReal(['ls'], join(dir, 'noexec')).msg), /\[Errno 20\] Not a directory/)
      const ran = runReal(['pwd'], dir)
      assert.deepEqual([ran.failed, ran.data?.stdout, ran.data?.changed], [false, dir, true])
      // a program that exits 1 with text on stderr is the program's failure
      assert.equal(runReal(['sh', '-c', 'echo ACPLAY-EXEC-FAILED exec 2 x >&2; exit 3']).msg, 'non-zero return code')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
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

describe('creates / removes decide not to run', () => {
  it("Ansible's message: 'Did not run' for real, 'Would not run' in check mode", async () => {
    const exists = { [JSON.stringify(['path.stat', '/etc/done'])]: statsOutput('root', 'root', [{ stat: 'regular file|644|root|root|0|0|4|131|2049' }]) }
    const p = { creates: '/etc/done', strip_empty_ends: true } as never
    for (const [check, word] of [
      [false, 'Did'],
      [true, 'Would'],
    ] as const) {
      const plan = await planExec(['touch', '/etc/done'], ['touch', '/etc/done'], p, fakeCtx(exists, { check }))
      assert.equal(plan.kind, 'ok')
      assert.equal(plan.data?.msg, `${word} not run command since '/etc/done' exists`)
      assert.equal(plan.data?.stdout, 'skipped, since /etc/done exists')
    }
  })
})
