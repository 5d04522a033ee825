/** user.info parse from recorded output, and the user planner given facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { passwordDigest, userInfo, type UserInfo } from '../../../modules/facts/user.js'
import { createdIds, planUser, type UserParams } from '../../../modules/user/plan.js'

const out = (stdout: string, rc = 0) => ({ rc, stdout, stderr: '' })
const DIGEST = passwordDigest('$6$x$hash')
const RECORDED = `passwd astro:x:999:996:Astronomer:/home/astro:/bin/false\ngroup astro\ngroups astro docker sudo\nhome yes\nlocked no\nshadow ${DIGEST}\naging 0:99999:7::19800:\n`
const base: UserParams = { name: 'astro', state: 'present', append: false, create_home: true, system: false, update_password: 'always', remove: false }
const astro: UserInfo = userInfo.parse(out(RECORDED), 'astro')

describe('user.info fact', () => {
  it('parses a recorded account (primary group excluded from groups)', () => {
    assert.deepEqual(astro, {
      exists: true,
      name: 'astro',
      uid: 999,
      gid: 996,
      group: 'astro',
      groups: ['docker', 'sudo'],
      comment: 'Astronomer',
      home: '/home/astro',
      shell: '/bin/false',
      homeExists: true,
      passwordDigest: DIGEST,
      locked: false,
      passwordMin: 0,
      passwordMax: 99999,
      expires: 19800,
    })
  })
  it('absent, unreadable shadow, errors', () => {
    assert.deepEqual(userInfo.parse(out('absent\n'), 'x'), { exists: false })
    const noShadow = userInfo.parse(out(RECORDED.replace(/shadow .*/, 'shadow unreadable')), 'astro')
    assert.equal(noShadow.passwordDigest, null)
    assert.throws(() => userInfo.parse(out('', 1), 'x'), /cannot read user x/)
  })
  it('passes the name as a positional argument, never in the script', () => {
    const c = userInfo.command("a'; rm -rf /")
    assert.equal(c.argv.at(-1), "a'; rm -rf /")
    assert.ok(!c.argv[2]!.includes('rm -rf'))
    assert.equal(userInfo.key!('astro'), 'astro')
  })
})

describe('user planner', () => {
  it('creates a user like the production guide, with effects for user, own group and home', () => {
    const plan = planUser({ ...base, shell: '/bin/false' }, { user: { exists: false }, ownGroup: { exists: false } })
    assert.equal(plan.kind, 'change')
    if (plan.kind !== 'change') return
    const [c] = plan.changes
    assert.equal(c!.summary, 'create user astro with shell /bin/false, home /home/astro')
    assert.deepEqual(c!.commands[0], { argv: ['useradd', '--create-home', '--shell', '/bin/false', '--', 'astro'] })
    // then the new account's ids are read for the result (Ansible's `uid`, and `group` as the gid)
    assert.deepEqual(c!.commands[1]!.argv.slice(-1), ['astro'])
    assert.equal(c!.commands.length, 2)
    assert.deepEqual(
      c!.effects!.map((e) => `${e.fact} ${e.key}`),
      ['user.info astro', 'group.info astro', 'path.stat /home/astro'],
    )
    assert.deepEqual(c!.effects![2]!.value, { exists: true, type: 'directory', owner: 'astro', group: 'astro', mode: '0755' })
    assert.equal(plan.data?.shell, '/bin/false')
    assert.equal(plan.data?.group, undefined)
    assert.deepEqual(createdIds('noise\n--acplay-user-ids--\n1001\n1002\n'), { uid: 1001, group: 1002 })
    assert.equal(createdIds('useradd: failed\n'), undefined)
  })
  it("a group named like the user exists: no user group (Ansible's -N), useradd's default group; sets the password through chpasswd stdin", () => {
    const plan = planUser(
      { ...base, password: '$6$x$hash', create_home: false },
      { user: { exists: false }, ownGroup: { exists: true, name: 'astro', gid: 5 }, defaultGroup: { exists: true, name: 'users', gid: 100 } },
    )
    if (plan.kind !== 'change') return assert.fail('expected a change')
    const c = plan.changes[0]!
    assert.deepEqual(c.commands[0]!.argv, ['useradd', '--no-user-group', '--no-create-home', '--', 'astro'])
    // the existing group is not the account's primary group, and no group.info is made for it
    assert.deepEqual(
      c.effects!.map((e) => `${e.fact} ${e.key}`),
      ['user.info astro'],
    )
    assert.deepEqual([(c.effects![0]!.value as { group?: string }).group, (c.effects![0]!.value as { gid?: number }).gid], ['users', 100])
    assert.equal(plan.data?.group, 100)
    assert.deepEqual(c.commands[1], { argv: ['chpasswd', '-e'], stdin: 'astro:$6$x$hash\n' })
    assert.ok(!c.summary.includes('$6$') && !c.diff!.after.includes('$6$'))
  })
  it('is ok with a reason when everything matches', () => {
    const plan = planUser({ ...base, shell: '/bin/false', password: '$6$x$hash', groups: ['sudo'], append: true }, { user: astro })
    assert.deepEqual(plan, {
      kind: 'ok',
      reason: 'user astro exists (uid 999, group astro, home /home/astro, shell /bin/false, password up to date)',
      // Ansible's result of an account that was there: group is the gid, groups as given (joined), the password never shown
      data: {
        name: 'astro',
        state: 'present',
        append: true,
        move_home: false,
        password: 'NOT_LOGGING_PASSWORD',
        uid: 999,
        group: 996,
        comment: 'Astronomer',
        home: '/home/astro',
        shell: '/bin/false',
        groups: 'sudo',
      },
    })
  })
  it('one usermod for attribute drift, with attrs in the diff', () => {
    const plan = planUser({ ...base, shell: '/bin/bash', comment: 'x', groups: ['docker'] }, { user: astro })
    if (plan.kind !== 'change') return assert.fail('expected a change')
    assert.deepEqual(
      plan.changes.map((c) => c.summary),
      ['change user astro: groups docker,sudo -> docker, shell /bin/false -> /bin/bash, comment Astronomer -> x'],
    )
    assert.deepEqual(plan.changes[0]!.commands[0]!.argv, ['usermod', '--groups', 'docker', '--shell', '/bin/bash', '--comment', 'x', '--', 'astro'])
    assert.deepEqual(plan.changes[0]!.diff!.attrs!.shell, ['/bin/false', '/bin/bash'])
  })
  it('password: digest mismatch -> set; on_create -> ok', () => {
    const p = planUser({ ...base, password: '$6$y$other' }, { user: astro })
    assert.equal(p.kind === 'change' && p.changes[0]!.summary, 'set the password of user astro')
    const q = planUser({ ...base, password: '$6$y$other', update_password: 'on_create' }, { user: astro })
    assert.equal(q.kind, 'ok')
  })
  it('re-creates a missing home; removes with --remove and records the home as gone', () => {
    const p = planUser(base, { user: { ...astro, homeExists: false } })
    assert.equal(p.kind === 'change' && p.changes[0]!.summary, 'create home directory /home/astro of user astro')
    const r = planUser({ ...base, state: 'absent', remove: true }, { user: astro })
    if (r.kind !== 'change') return assert.fail('expected a change')
    assert.deepEqual(r.changes[0]!.commands[0]!.argv, ['userdel', '--remove', '--', 'astro'])
    assert.deepEqual(r.changes[0]!.effects, [
      { fact: 'user.info', key: 'astro', value: { exists: false } },
      { fact: 'path.stat', key: '/home/astro', value: { exists: false } },
    ])
    assert.deepEqual(planUser({ ...base, state: 'absent' }, { user: { exists: false } }), {
      kind: 'ok',
      reason: 'user astro does not exist',
      data: { name: 'astro', state: 'absent' },
    })
  })
})
