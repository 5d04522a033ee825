/** shlex-like splitting, the command/shell planners' argv, and the result shape. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { execCommand, interpretExec } from '../../../modules/command/exec-plan.js'
import { shlexSplit as splitArgs } from '../../../engine/connection/shlex.js'

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
})

describe('command execution plan', () => {
  it('argv as is; chdir as a positional argument; stdin with the newline', () => {
    assert.deepEqual(execCommand(['ls', '-l'], { stdin_add_newline: true }), { argv: ['ls', '-l'] })
    const c = execCommand(['pwd'], { chdir: "/tmp/a 'b'", stdin: 'x', stdin_add_newline: true })
    assert.deepEqual(c.argv.slice(3), ['sh', "/tmp/a 'b'", 'pwd'])
    assert.equal(c.stdin, 'x\n')
    assert.equal(execCommand(['cat'], { stdin: 'x', stdin_add_newline: false }).stdin, 'x')
  })
  it('result: trailing newlines stripped, lines split, non-zero rc fails', () => {
    assert.deepEqual(interpretExec(['echo'], { rc: 0, stdout: 'a\nb\n\n', stderr: '' }), {
      failed: false,
      data: { rc: 0, stdout: 'a\nb', stderr: '', stdout_lines: ['a', 'b'], stderr_lines: [], cmd: ['echo'] },
    })
    const f = interpretExec('exit 2', { rc: 2, stdout: '', stderr: 'boom\n' })
    assert.equal(f.failed, true)
    assert.equal(f.msg, 'non-zero return code')
    assert.deepEqual(f.data?.stderr_lines, ['boom'])
  })
  it('strip_empty_ends: false keeps the trailing newlines (stdout_lines as Python splitlines)', () => {
    const r = interpretExec(['echo'], { rc: 0, stdout: 'a\nb\n\n', stderr: '' }, false)
    assert.equal(r.data?.stdout, 'a\nb\n\n')
    assert.deepEqual(r.data?.stdout_lines, ['a', 'b', ''])
  })
})
