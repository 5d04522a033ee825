/**
 * make's pure parts against cases recorded from community.general.make (Debian's ansible, run
 * locally with a logging gmake on PATH, so the argv it ran is recorded too).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { expandWith } from '../../../modules/facts/environ.js'
import { buildFailure, commandText, makeArgv, parseQuestion } from '../../../modules/make.js'

const ENV = { HOME: '/root', PATH: '/usr/bin:/bin' }
// what ran: each argument after the binary expanded, a missing target left out (run_command drops None)
const ran = (argv: (string | undefined)[]) => argv.filter((a): a is string => a !== undefined).map((a) => expandWith(a, ENV))

describe('make: the command Ansible builds', () => {
  it('target and params: NAME=VALUE with the value as Python prints it', () => {
    const argv = makeArgv('/usr/bin/gmake', { target: 'out.txt', params: { A: 1, B: true } })
    assert.equal(commandText(argv), '/usr/bin/gmake out.txt A=1 B=True')
  })

  it("no target: make's default goal, shown as ''", () => {
    const argv = makeArgv('/usr/bin/gmake', {})
    assert.equal(commandText(argv), "/usr/bin/gmake ''")
    assert.deepEqual(ran(argv), ['/usr/bin/gmake'])
  })

  it('jobs, file, the binary given, values of every type (lists, None, dicts, floats) in the order given', () => {
    const params = { L: [1, 'a'], N: null, D: { k: 'v' }, F: 1.5, S: '$HOME ~ x' }
    const argv = makeArgv('/usr/bin/make', { jobs: 2, file: 'Makefile', target: 'always', params })
    assert.equal(commandText(argv), `/usr/bin/make -j 2 -f Makefile always 'L=[1, '"'"'a'"'"']' N=None 'D={'"'"'k'"'"': '"'"'v'"'"'}' F=1.5 'S=$HOME ~ x'`)
  })

  it('command shows the values as written; what runs has $VAR and a leading ~ expanded (recorded argv)', () => {
    const argv = makeArgv('/tmp/hbrec/fakebin/gmake', { jobs: 3, file: 'Makefile', target: 'show', params: { S: '$HOME x', T: 'a b' } })
    assert.equal(commandText(argv), "/tmp/hbrec/fakebin/gmake -j 3 -f Makefile show 'S=$HOME x' 'T=a b'")
    assert.deepEqual(ran(argv).slice(1), ['-j', '3', '-f', 'Makefile', 'show', 'S=/root x', 'T=a b'])
    const vars = makeArgv('/tmp/hbrec/fakebin/gmake', { target: 'show', params: { S: '$HOME ~ ~/x $NOPE_X ${USER}', T: '~/t', U: '${HOME}/y' } })
    assert.equal(commandText(vars), "/tmp/hbrec/fakebin/gmake show 'S=$HOME ~ ~/x $NOPE_X ${USER}' 'T=~/t' 'U=${HOME}/y'")
    assert.deepEqual(ran(vars).slice(1), ['show', 'S=/root ~ ~/x $NOPE_X ${USER}', 'T=~/t', 'U=/root/y'])
    assert.deepEqual(ran(makeArgv('/tmp/hbrec/fakebin/gmake', { target: '~/show' })).slice(1), ['/root/show'])
  })

  it('chdir ~/..: expanded, not normalised', () => {
    assert.equal(expandWith('~/../tmp/hbrec/proj', ENV), '/root/../tmp/hbrec/proj')
    assert.equal(expandWith('~', ENV), '/root')
    assert.equal(expandWith('~other/x', ENV), '~other/x')
  })
})

describe('make: results', () => {
  it("a failed build: make's stderr is the message; cmd is what ran; the output as printed", () => {
    const stdout = 'echo about to fail\nabout to fail\nfalse\n'
    const stderr = 'gmake: *** [Makefile:8: fail] Error 1\n'
    assert.deepEqual(buildFailure(['/usr/bin/gmake', 'fail'], 2, stdout, stderr), {
      msg: 'gmake: *** [Makefile:8: fail] Error 1',
      data: {
        changed: false,
        cmd: '/usr/bin/gmake fail',
        rc: 2,
        stdout,
        stderr,
        stdout_lines: ['echo about to fail', 'about to fail', 'false'],
        stderr_lines: ['gmake: *** [Makefile:8: fail] Error 1'],
      },
    })
    assert.equal(buildFailure(['/usr/bin/gmake', 'fail', 'S=a b'], 2, '', stderr).data.cmd, "/usr/bin/gmake fail 'S=a b'")
  })

  it("the question's answer: the binary that answered, make -q's exit code and output", () => {
    assert.deepEqual(parseQuestion(1, 'acplay-make /usr/bin/gmake\n', ''), { status: 'answered', bin: '/usr/bin/gmake', rc: 1, stdout: '', stderr: '' })
    assert.deepEqual(parseQuestion(0, 'acplay-make /usr/bin/gmake\nfrom $(info)\n', 'w\n'), {
      status: 'answered',
      bin: '/usr/bin/gmake',
      rc: 0,
      stdout: 'from $(info)\n',
      stderr: 'w\n',
    })
    assert.deepEqual(parseQuestion(0, 'acplay-make-no-chdir\n', ''), { status: 'no-chdir' })
    assert.deepEqual(parseQuestion(0, 'acplay-make-no-make\n', ''), { status: 'no-make' })
    assert.throws(() => parseQuestion(2, '', 'sh: 1: cd: cannot cd\n'), /cannot run make: sh: 1: cd: cannot cd/)
  })
})
