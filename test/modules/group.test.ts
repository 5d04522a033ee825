/** group on a real Debian host: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { group } from '../../modules/group.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

describe('group on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['g1'])
  const H = 'g1'

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const name = `airflow${i}`
      const gid = 3100 + i

      it('check mode on a fresh host reports the creation and leaves the host untouched', async () => {
        const r = await checkRun(group, { name, gid }, env())
        assert.equal(r.status, 'changed')
        assert.deepEqual(
          r.changes.map((c) => c.summary),
          [`create group ${name} with gid ${gid}`],
        )
        assert.equal(r.changes[0]!.diff?.after, `${name}:x:${gid}:\n`)
        await sh(bed(), H, `getent group ${name}`, 2)
      })

      it('creates the group, then re-runs ok with a reason', async () => {
        const { again } = await assertConverges(group, { name, gid }, env())
        assert.equal(again.reason, `group ${name} exists with gid ${gid}`)
        assert.equal(again.data.gid, gid)
        assert.equal(await sh(bed(), H, `getent group ${name}`), `${name}:x:${gid}:`)
      })

      it('a group without gid is ok whatever its gid; system groups get a system gid', async () => {
        assert.equal((await realRun(group, { name }, env())).status, 'ok')
        await assertConverges(group, { name: `sys${i}`, system: true }, env())
        assert.ok(Number(await sh(bed(), H, `getent group sys${i} | cut -d: -f3`)) < 1000)
      })

      it('detects a gid changed by hand (check mode, diff) and repairs it', async () => {
        await sh(bed(), H, `groupmod -g ${gid + 50} ${name}`)
        const c = await checkRun(group, { name, gid }, env())
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`change gid of group ${name}: ${gid + 50} -> ${gid}`],
        )
        assert.deepEqual(c.changes[0]!.diff?.attrs, { gid: [String(gid + 50), String(gid)] })
        assert.equal(await sh(bed(), H, `getent group ${name} | cut -d: -f3`), String(gid + 50))
        assert.equal((await realRun(group, { name, gid }, env())).status, 'changed')
        assert.equal(await sh(bed(), H, `getent group ${name} | cut -d: -f3`), String(gid))
      })

      it('removes the group', async () => {
        const { again } = await assertConverges(group, { name, state: 'absent' }, env())
        assert.equal(again.reason, `group ${name} does not exist`)
        await sh(bed(), H, `getent group ${name}`, 2)
      })
    })
  }

  describe('arguments and hostile values', () => {
    const env = osEnvs(bed, H)[0]!.env
    it('non_unique: a gid another group has (without it groupadd refuses)', async () => {
      await assertConverges(group, { name: 'orig', gid: 3300 }, env())
      assert.equal((await realRun(group, { name: 'dup', gid: 3300 }, env())).status, 'failed')
      await assertConverges(group, { name: 'dup', gid: 3300, non_unique: true }, env())
      assert.equal(await sh(bed(), H, 'getent group dup | cut -d: -f3'), '3300')
      const local = await realRun(group, { name: 'dup', local: true }, env())
      assert.match(local.msg!, /argument 'local' of module group is not supported yet/)
    })
    it('rejects bad arguments and hostile names before touching the host', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ name: 'g', gidd: 1 }, /unknown argument 'gidd'/],
        [{ name: 'g', gid: '12x' }, /argument 'gid' must be an integer/],
        [{ name: 'g', system: 'maybe' }, /argument 'system' must be a boolean/],
        [{ name: 'g', state: 'gone' }, /argument 'state' must be one of/],
        [{ name: 'a b' }, /^invalid group name "a b"/],
        [{ name: '$(touch /tmp/pwned)' }, /^invalid group name/],
        [{ name: "x';touch /tmp/pwned;'" }, /^invalid group name/],
        [{ name: '1000' }, /^invalid group name/],
      ]
      for (const [args, msg] of cases) {
        const r = await realRun(group, args, env())
        assert.equal(r.status, 'failed', JSON.stringify(args))
        assert.match(r.msg!, msg)
      }
      await sh(bed(), H, 'test ! -e /tmp/pwned && ! getent group g')
    })
  })
})
