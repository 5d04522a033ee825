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
import { asUser, becomeExe, becomeFlags, becomeFor, becomeKey, becomeStdin, checkBecome, shellArgv, streamArgv } from '../../../engine/connection/become.js'
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

  it("become_flags: split as shlex; sudo's -S and -n dropped (bundles too), values left as written; su's as given", () => {
    assert.deepEqual(becomeFlags('sudo', '-H -S -n'), ['-H'])
    assert.deepEqual(becomeFlags('sudo', '-i'), ['-i'])
    assert.deepEqual(becomeFlags('sudo', ''), [])
    assert.deepEqual(becomeFlags('sudo', '-Sn -nH  -HSnE --stdin --non-interactive --preserve-env=PATH'), ['-H', '-HE', '--preserve-env=PATH'])
    // a value is no option: -u n, -pn..., --prompt -n, -D with an attached value, -h's optional one
    assert.deepEqual(becomeFlags('sudo', '-u n -p -n -nuSn --prompt -n -Dn/x -hn'), ['-u', 'n', '-p', '-n', '-uSn', '--prompt', '-n', '-Dn/x', '-hn'])
    assert.deepEqual(becomeFlags('su', '-s /bin/sh'), ['-s', '/bin/sh'])
    assert.deepEqual(becomeFlags('su', `- -s '/bin/my sh' -n`), ['-', '-s', '/bin/my sh', '-n'])
    assert.throws(() => becomeFlags('su', `-s '/bin/sh`), /no closing quotation/)
    assert.equal(becomeExe(''), undefined)
    assert.equal(becomeExe('  '), undefined)
    assert.deepEqual(becomeExe('/opt/bin/sudo'), ['/opt/bin/sudo'])
    assert.deepEqual(becomeExe('"/opt/my sudo" -E'), ['/opt/my sudo', '-E'])
  })

  it('become_flags and become_exe in the argv: each word quoted, never a shell string of their own', () => {
    assert.deepEqual(shellArgv({ user: 'www', flags: ['-i'] }), ['sudo', '-n', '-i', '-u', 'www', '--', '/bin/sh', '-s'])
    assert.deepEqual(shellArgv({ user: 'www', flags: [] }), ['sudo', '-n', '-u', 'www', '--', '/bin/sh', '-s'])
    assert.deepEqual(shellArgv({ user: 'www', exe: ['/opt/my sudo'] }), ['/opt/my sudo', '-n', '-H', '-u', 'www', '--', '/bin/sh', '-s'])
    const pw = shellArgv({ user: 'www', password: SECRET, flags: ['-i', "a'b"], exe: ['/opt/x y'] })
    assert.match(pw[2]!, / exec '\/opt\/x y' -i 'a'\\''b' -A -p ACPLAY_BECOME_PASS -u "\$0" -- "\$@"$/)
    assert.deepEqual(pw.slice(3), ['www', '/bin/sh', '-s'])
    assert.ok(!pw.join(' ').includes('s3cr'))
    const su = shellArgv({ user: 'nobody', method: 'su', flags: ['-s', '/bin/sh;id'] })
    assert.deepEqual(su, ['/bin/sh', '-c', `exec 3<&0 </dev/null; exec su -s '/bin/sh;id' "$0" -c "$1"`, 'nobody', '/bin/sh -s <&3 3<&-'])
    const suPw = shellArgv({ user: 'root', method: 'su', password: SECRET, flags: ['-'], exe: ['/bin/su'] })
    assert.match(suPw[2]!, /\| \/bin\/su - "\$0" -c "\$1"$/)
    // the defaults are the argv of old
    assert.deepEqual(shellArgv({ user: 'pg', method: 'su' })[2], 'exec 3<&0 </dev/null; exec su "$0" -c "$1"')
  })

  it('one session per flags and exe too; a missing become_exe is an E_BECOME naming it', () => {
    assert.equal(becomeKey({ user: 'pg', flags: ['-i'] }), becomeKey({ user: 'pg', method: 'sudo', flags: ['-i'] }))
    const keys = [{}, { flags: ['-i'] }, { flags: [] }, { flags: ['-i', '-H'] }, { exe: ['/x'] }, { flags: ['-i'], exe: ['/x'] }].map((b) =>
      becomeKey({ user: 'pg', ...b }),
    )
    assert.equal(new Set(keys).size, keys.length, keys.join(' | '))
    assert.equal(keys[0], 'sudo:pg')
    const missing = { rc: 127, stdout: '', stderr: 'bash: line 1: /opt/nosudo: No such file or directory\n' }
    assert.throws(() => checkBecome(missing, { user: 'pg', exe: ['/opt/nosudo'] }, 'h1'), {
      code: 'E_BECOME',
      message: /become needs \/opt\/nosudo on h1, and \/opt\/nosudo was not found/,
    })
    const dash = { rc: 127, stdout: '', stderr: 'sh: 1: exec: /opt/nosu: not found\n' }
    assert.throws(() => checkBecome(dash, { user: 'pg', method: 'su', exe: ['/opt/nosu'] }, 'h1'), { code: 'E_BECOME', message: /needs \/opt\/nosu on h1/ })
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

  it("as root su with become_flags '-s /bin/sh' runs the script as nologin nobody; without, nobody's shell runs nothing", { skip: canRun }, () => {
    const run = (b: Become) => {
      const [cmd, ...args] = shellArgv(b)
      return spawnSync(cmd!, args, { input: 'id -un\n', encoding: 'utf8' })
    }
    assert.equal(run({ user: 'nobody', method: 'su', flags: becomeFlags('su', '-s /bin/sh') }).stdout, 'nobody\n')
    assert.equal(run({ user: 'nobody', method: 'su' }).stdout, 'This account is currently not available.\n')
  })
})
