/**
 * The become argv builder (engine/connection/become.ts): sudo's and su's commands, where the
 * password goes (stdin's first line, never argv), one session per method and user, and su's
 * refusals as E_BECOME errors. As root with su present, the su wrapper is also run here (root's su
 * asks for no password), to see the script reach the inner shell through fd 3.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { asUser, becomeFor, becomeKey, becomeStdin, checkBecome, shellArgv, streamArgv } from '../../../engine/connection/become.js'
import type { Become } from '../../../engine/connection/types.js'

const SECRET = "s3cr'et $(touch /tmp/x) \\"

describe('become argv', () => {
  it('sudo: sudo -n -H -u USER -- /bin/sh -s, or the askpass wrapper with a password', () => {
    assert.deepEqual(shellArgv(undefined), ['/bin/sh', '-s'])
    assert.deepEqual(shellArgv({ user: 'postgres' }), ['sudo', '-n', '-H', '-u', 'postgres', '--', '/bin/sh', '-s'])
    assert.deepEqual(shellArgv({ user: 'postgres', method: 'sudo' }), ['sudo', '-n', '-H', '-u', 'postgres', '--', '/bin/sh', '-s'])
    const withPw = shellArgv({ user: 'postgres', password: SECRET })
    assert.deepEqual(withPw.slice(0, 2), ['/bin/sh', '-c'])
    assert.deepEqual(withPw.slice(3), ['postgres', '/bin/sh', '-s'])
  })

  it("su: su USER -c 'CMD', the user a positional parameter, the command quoted and reading fd 3", () => {
    const argv = shellArgv({ user: 'postgres', method: 'su' })
    assert.deepEqual(argv, ['/bin/sh', '-c', 'exec 3<&0 </dev/null; exec su "$0" -c "$1"', 'postgres', '/bin/sh -s <&3 3<&-'])
    const pw = shellArgv({ user: 'root', method: 'su', password: SECRET })
    assert.equal(pw[0], '/bin/sh')
    assert.match(pw[2]!, /^IFS= read -r ACPLAY_BECOME_PASS \|\| exit 1; exec 3<&0; printf '%s\\n' "\$ACPLAY_BECOME_PASS" \| su "\$0" -c "\$1"$/)
    assert.deepEqual(pw.slice(3), ['root', '/bin/sh -s <&3 3<&-'])
    // a user name is never part of a shell string
    const odd = shellArgv({ user: "a b;'c", method: 'su' })
    assert.equal(odd[3], "a b;'c")
    // a streamed script and a stop command: quoted inside su's -c
    assert.deepEqual(streamArgv('echo hi', { user: 'x', method: 'su' }).slice(3), ['x', `/bin/sh -c 'eval "$(head -c 7)"' <&3 3<&-`])
    assert.deepEqual(asUser({ user: 'x', method: 'su' }, "kill -HUP -5 2>/dev/null; echo 'q'").slice(3), [
      'x',
      `/bin/sh -c 'kill -HUP -5 2>/dev/null; echo '\\''q'\\''' <&3 3<&-`,
    ])
  })

  it('the password is never in argv: it is the first line of stdin', () => {
    for (const method of ['sudo', 'su'] as const) {
      const b: Become = { user: 'root', method, password: SECRET }
      for (const argv of [shellArgv(b), streamArgv('true', b), asUser(b, 'true')]) assert.ok(!argv.join(' ').includes('s3cr'), argv.join(' '))
      assert.equal(becomeStdin(b), `${SECRET}\n`)
      assert.equal(becomeStdin({ user: 'root', method }), '')
    }
  })

  it('one session per method and user; the same-user rule for both methods', () => {
    assert.equal(becomeKey(undefined), '')
    assert.notEqual(becomeKey({ user: 'pg' }), becomeKey({ user: 'pg', method: 'su' }))
    assert.equal(becomeKey({ user: 'pg' }), becomeKey({ user: 'pg', method: 'sudo' }))
    assert.equal(becomeFor({ user: 'root', method: 'su' }, 'root'), undefined)
    assert.deepEqual(becomeFor({ user: 'pg', method: 'su' }, 'root'), { user: 'pg', method: 'su' })
    assert.deepEqual(becomeFor({ user: 'root', method: 'su' }, undefined), { user: 'root', method: 'su' })
  })

  it("su's refusals are E_BECOME errors naming the host and user", () => {
    const su = (password?: string): Become => ({ user: 'root', method: 'su', password })
    const denied = { rc: 1, stdout: '', stderr: 'Password: su: Authentication failure\n' }
    assert.throws(() => checkBecome(denied, su('bad'), 'h1'), { code: 'E_BECOME', message: /su on h1 refused the become password for user root$/ })
    assert.throws(() => checkBecome(denied, su(), 'h1'), { code: 'E_BECOME', message: /su on h1 wants a password for user root; .*ansible_become_password/ })
    const nologin = { rc: 1, stdout: 'This account is currently not available.\n', stderr: 'remote shell exited with code 1\n' }
    assert.throws(() => checkBecome(nologin, { user: 'nobody', method: 'su' }, 'h1'), {
      code: 'E_BECOME',
      message: /su to nobody on h1: the user's login shell runs no commands/,
    })
    const nouser = { rc: 1, stdout: '', stderr: 'su: user nosuch does not exist or the user entry does not contain all the required fields\n' }
    assert.throws(() => checkBecome(nouser, { user: 'nosuch', method: 'su' }, 'h1'), {
      code: 'E_BECOME',
      message: /become to nosuch refused on h1: su: user nosuch does not exist/,
    })
    // its exit status not known yet when the channel closed (ssh.ts: 255)
    const early = { rc: 255, stdout: 'This account is currently not available.\n', stderr: 'remote shell exited\n' }
    assert.throws(() => checkBecome(early, { user: 'nobody', method: 'su' }, 'h1'), { code: 'E_BECOME' })
    // a task's own failure stays the task's
    checkBecome({ rc: 2, stdout: 'This account is currently not available.\nmore\n', stderr: '' }, su(), 'h1')
    checkBecome({ rc: 1, stdout: 'This account is currently not available.\n', stderr: 'x: failed\n' }, su(), 'h1')
    checkBecome({ rc: 1, stdout: '', stderr: 'grep: x: No such file\n' }, su(), 'h1')
  })

  const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/su') ? false : 'needs root and su'
  it('as root the su wrapper runs the script in the inner shell, with or without a password line', { skip: canRun }, () => {
    for (const password of [undefined, SECRET]) {
      const [cmd, ...args] = shellArgv({ user: 'root', method: 'su', password })
      const r = spawnSync(cmd!, args, { input: `${becomeStdin({ user: 'root', password })}id -un\necho "$HOME"\n`, encoding: 'utf8' })
      assert.equal(r.stderr, '')
      assert.equal(r.stdout, 'root\n/root\n')
      assert.equal(r.status, 0)
    }
  })
})
