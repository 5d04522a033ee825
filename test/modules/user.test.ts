/** user (and its use of group) on a real Debian host: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { group } from '../../modules/group.js'
import { user } from '../../modules/user.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

// crypt(3) hashes of "secret1" / "secret2" (sha-512); the module treats them as opaque secrets
const HASH1 = '$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/'
const HASH2 = '$6$pepper$Jx7r8N4K2o0bVnJwJ1pZ5sQy8cN8qz5Xvz6nY1Wm5c4bH0kq2u7S3t9d1e0f2g3h4i5j6k7l8m9n0o1p2q3r4.'

// What a task shows: the reporter prints these (params are masked by the engine's masker, not here).
const shown = (o: { status: string; msg?: string; reason?: string; changes: unknown; data: unknown }) =>
  JSON.stringify({ status: o.status, msg: o.msg, reason: o.reason, changes: o.changes, data: o.data })

describe('user on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['u1'])
  const H = 'u1'

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const name = `astro${i}`
      const args = { name, shell: '/bin/false', create_home: true }

      it('check mode on a fresh host reports the creation and leaves the host untouched', async () => {
        const r = await checkRun(user, args, env())
        assert.equal(r.status, 'changed', r.msg)
        assert.equal(r.changes[0]!.summary, `create user ${name} with shell /bin/false, home /home/${name}`)
        assert.equal(r.changes[0]!.diff?.after, `${name}:x:?:?::/home/${name}:/bin/false\n`)
        await sh(bed(), H, `getent passwd ${name}`, 2)
        await sh(bed(), H, `test ! -e /home/${name}`)
      })

      it('creates the user like the production guide (useradd --shell=/bin/false --create-home), then converges', async () => {
        const { again, applied } = await assertConverges(user, args, env())
        assert.equal(applied.data.name, name)
        assert.match(again.reason!, new RegExp(`^user ${name} exists \\(uid \\d+, group ${name}, home /home/${name}, shell /bin/false\\)$`))
        assert.equal(again.data.shell, '/bin/false')
        assert.equal(again.data.home, `/home/${name}`)
        const uid = await sh(bed(), H, `id -u ${name}`)
        assert.equal(again.data.uid, Number(uid))
        assert.match(await sh(bed(), H, `getent passwd ${name}`), new RegExp(`^${name}:x:${uid}:\\d+::/home/${name}:/bin/false$`))
        assert.equal(await sh(bed(), H, `stat -c '%F %U %G' /home/${name}`), `directory ${name} ${name}`)
      })

      it('detects shell drift in check mode (with a diff) and repairs it', async () => {
        await sh(bed(), H, `usermod -s /bin/bash ${name}`)
        const c = await checkRun(user, args, { ...env(), diff: true })
        assert.equal(c.status, 'changed')
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`change user ${name}: shell /bin/bash -> /bin/false`],
        )
        assert.deepEqual(c.changes[0]!.diff?.attrs, { shell: ['/bin/bash', '/bin/false'] })
        assert.match(c.changes[0]!.diff!.before, /:\/bin\/bash\n$/)
        assert.match(await sh(bed(), H, `getent passwd ${name}`), /:\/bin\/bash$/, 'check mode changed nothing')
        assert.equal((await realRun(user, args, env())).status, 'changed')
        assert.match(await sh(bed(), H, `getent passwd ${name}`), /:\/bin\/false$/)
        assert.equal((await realRun(user, args, env())).status, 'ok')
      })

      it('re-creates a home directory removed by hand', async () => {
        await sh(bed(), H, `rm -rf /home/${name}`)
        const c = await checkRun(user, args, env())
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`create home directory /home/${name} of user ${name}`],
        )
        assert.equal((await realRun(user, args, env())).status, 'changed')
        assert.equal(await sh(bed(), H, `stat -c '%F %U %G %a' /home/${name}`), `directory ${name} ${name} 755`)
        assert.equal((await realRun(user, args, env())).status, 'ok')
      })

      it('sets a password hash without ever showing it, compares it, honours update_password', async () => {
        const withPw = { ...args, password: HASH1 }
        const c = await checkRun(user, withPw, { ...env(), diff: true })
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`set the password of user ${name}`],
        )
        assert.ok(!shown(c).includes(HASH1), 'the hash is not in the outcome')
        const r = await realRun(user, withPw, { ...env(), diff: true })
        assert.equal(r.status, 'changed', r.msg)
        assert.ok(!shown(r).includes(HASH1))
        assert.equal(await sh(bed(), H, `getent shadow ${name} | cut -d: -f2`), HASH1)
        const ok = await realRun(user, withPw, env())
        assert.equal(ok.status, 'ok')
        assert.match(ok.reason!, /password up to date\)$/)
        assert.ok(!shown(ok).includes(HASH1))
        const onCreate = await realRun(user, { ...args, password: HASH2, update_password: 'on_create' }, env())
        assert.equal(onCreate.status, 'ok')
        assert.match(onCreate.reason!, /update_password: on_create/)
        assert.equal((await checkRun(user, { ...args, password: HASH2 }, env())).status, 'changed')
        assert.equal(await sh(bed(), H, `getent shadow ${name} | cut -d: -f2`), HASH1)
      })

      it('manages supplementary groups (exact set, or append)', async () => {
        const g1 = `grp${i}a`
        const g2 = `grp${i}b`
        await assertConverges(group, { name: g1 }, env())
        await assertConverges(group, { name: g2, gid: 4300 - i }, env())
        await assertConverges(user, { ...args, groups: [g1] }, env())
        assert.equal(await sh(bed(), H, `id -Gn ${name}`), `${name} ${g1}`)
        await assertConverges(user, { ...args, groups: [g2], append: true }, env())
        assert.equal(await sh(bed(), H, `id -Gn ${name}`), `${name} ${g1} ${g2}`)
        const r = await checkRun(user, { ...args, groups: [g2] }, env())
        assert.deepEqual(
          r.changes.map((x) => x.summary),
          [`change user ${name}: groups ${g1},${g2} -> ${g2}`],
        )
        await realRun(user, { ...args, groups: [g2] }, env())
        assert.equal(await sh(bed(), H, `id -Gn ${name}`), `${name} ${g2}`)
        const missing = await realRun(user, { ...args, groups: ['nosuchgroup'] }, env())
        assert.equal(missing.status, 'failed')
        assert.match(missing.msg!, /group nosuchgroup does not exist/)
      })

      it('check mode plans against earlier unapplied changes (group, then a user in it)', async () => {
        const effects = new EffectStore()
        const g = `later${i}`
        const u = `lateuser${i}`
        assert.equal((await checkRun(group, { name: g }, { ...env(), effects })).status, 'changed')
        const r = await checkRun(user, { name: u, group: g, groups: [g] }, { ...env(), effects })
        assert.equal(r.status, 'changed', r.msg)
        const again = await checkRun(user, { name: u, group: g }, { ...env(), effects })
        assert.equal(again.status, 'ok', 'the user the earlier change would create is seen')
        await sh(bed(), H, `! getent group ${g} && ! getent passwd ${u}`)
      })

      it('removes the user and its home (remove: true)', async () => {
        const gone = { name, state: 'absent', remove: true }
        const { again } = await assertConverges(user, gone, env())
        assert.equal(again.reason, `user ${name} does not exist`)
        await sh(bed(), H, `getent passwd ${name}`, 2)
        await sh(bed(), H, `test ! -e /home/${name}`)
      })
    })
  }

  describe('arguments and hostile values', () => {
    const env = osEnvs(bed, H)[0]!.env

    it('rejects bad arguments before touching the host, naming the argument', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ name: 'x', bogus: 1 }, /unknown argument 'bogus'/],
        [{ name: 'x', uid: 'abc' }, /argument 'uid' must be an integer/],
        [{ name: 'x', state: 'gone' }, /argument 'state' must be one of present, absent/],
        [{ name: 'x', home: 'relative/dir' }, /argument 'home' must be an absolute path/],
        [{ name: 'x', comment: 'a:b' }, /argument 'comment' must not contain ':'/],
        [{}, /missing required argument 'name'/],
      ]
      for (const [args, msg] of cases) {
        const r = await realRun(user, args, env())
        assert.equal(r.status, 'failed', JSON.stringify(args))
        assert.match(r.msg!, msg)
      }
      await sh(bed(), H, 'getent passwd x', 2)
    })

    it('password aging, expiry and lock, non_unique uid, skeleton and umask on creation; drift repaired; move_home; force', async () => {
      await sh(bed(), H, 'mkdir -p /srv/skel && echo hi > /srv/skel/.hello && useradd -u 4100 first')
      const expires = Date.UTC(2030, 5, 1) / 1000
      const args = {
        name: 'aged',
        uid: 4100,
        non_unique: true,
        password: HASH1,
        password_lock: true,
        password_expire_min: 1,
        password_expire_max: 90,
        expires,
        skeleton: '/srv/skel',
        umask: '0077',
      }
      await assertConverges(user, args, env())
      const shadow = () => sh(bed(), H, 'getent shadow aged | cut -d: -f2,4,5,8; id -u aged; stat -c %a /home/aged; cat /home/aged/.hello')
      assert.equal(await shadow(), `!${HASH1}:1:90:${Math.floor(expires / 86400)}\n4100\n700\nhi`)
      await sh(bed(), H, 'chage -M 30 aged && usermod -U aged')
      const c = await checkRun(user, args, env())
      assert.deepEqual(
        c.changes.map((x) => x.summary),
        ['lock the password of user aged', 'set the password aging of user aged: max 90 days'],
      )
      await assertConverges(user, { ...args, password_lock: false, expires: -1 }, env())
      assert.equal(await sh(bed(), H, 'getent shadow aged | cut -d: -f2,8'), `${HASH1}:`)
      await assertConverges(user, { name: 'aged', home: '/srv/aged-home', move_home: true }, env())
      assert.equal(await sh(bed(), H, 'cat /srv/aged-home/.hello; test -e /home/aged && echo left || echo moved'), 'hi\nmoved')
      await assertConverges(user, { name: 'aged', state: 'absent', force: true }, env())
      for (const [a, re] of [
        [{ name: 'x', seuser: 'staff_u' }, /argument 'seuser' of module user is not supported yet/],
        [{ name: 'x', generate_ssh_key: true, ssh_key_passphrase: 'p' }, /argument 'ssh_key_passphrase' of module user is not supported yet/],
        [{ name: 'x', umask: '99' }, /argument 'umask' must be an octal umask/],
        [{ name: 'x', expires: 'soon' }, /Invalid value for 'expires'/],
      ] as const)
        assert.match((await realRun(user, a, env())).msg!, re)
    })

    it('rejects hostile user names with a clear message (and runs nothing)', async () => {
      for (const name of ['a b', "o'neil", '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'x;touch /tmp/pwned', 'a\nb', '-rf', '0']) {
        const r = await realRun(user, { name }, env())
        assert.equal(r.status, 'failed', name)
        assert.match(r.msg!, /^invalid user name/)
      }
      await sh(bed(), H, 'test ! -e /tmp/pwned')
    })

    it('stores hostile comments and homes with spaces literally', async () => {
      const comment = `it's "quoted" $(touch /tmp/pwned) \`touch /tmp/pwned\`; echo \\ done`
      const args = { name: 'odd', comment, home: '/srv/my home/odd $x' }
      await assertConverges(user, args, env())
      assert.equal(await sh(bed(), H, 'getent passwd odd | cut -d: -f5'), comment)
      assert.equal(await sh(bed(), H, `stat -c '%U' '/srv/my home/odd $x'`), 'odd')
      await sh(bed(), H, 'test ! -e /tmp/pwned')
    })
  })
})
