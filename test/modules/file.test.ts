/** file on a real Debian host: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { file } from '../../modules/file.js'
import { copy } from '../../modules/copy.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

describe('file on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['f1'])
  const H = 'f1'
  const statOf = (p: string) => sh(bed(), H, `stat -c '%F|%a|%U|%G' -- ${q(p)}`)

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const base = `/srv/t${i}`

      it('directory: check on a fresh host reports changed and touches nothing; then converges with parents', async () => {
        const args = { path: `${base}/a/b`, state: 'directory', owner: 'deploy', group: 'deploy', mode: '0750' }
        const c = await checkRun(file, args, env())
        assert.equal(c.status, 'changed', c.msg)
        assert.equal(c.changes[0]!.summary, `create directory ${base}/a/b (mode 0750, owner deploy:deploy)`)
        // made 0755, then given its mode, as Ansible's diff says
        assert.deepEqual(c.changes[0]!.diff?.attrs, { state: ['absent', 'directory'], mode: ['0755', '0750'] })
        await sh(bed(), H, `test ! -e ${base}`)
        const { again } = await assertConverges(file, args, env())
        assert.equal(again.reason, `directory ${base}/a/b exists, mode 0750, owner deploy:deploy`)
        // like Ansible, directories created on the way get the attributes too
        assert.equal(await statOf(base), 'directory|750|deploy|deploy')
        assert.equal(await statOf(`${base}/a/b`), 'directory|750|deploy|deploy')
      })

      it('drift: a hand-made mode change is detected in check mode and repaired', async () => {
        const args = { path: `${base}/a/b`, state: 'directory', mode: '0750' }
        await sh(bed(), H, `chmod 0777 ${base}/a/b`)
        const c = await checkRun(file, args, env())
        assert.equal(c.status, 'changed')
        assert.deepEqual(c.changes[0]!.diff?.attrs, { mode: ['0777', '0750'] })
        assert.equal(await statOf(`${base}/a/b`), 'directory|777|deploy|deploy', 'check mode changed nothing')
        assert.equal((await realRun(file, args, env())).status, 'changed')
        assert.equal(await statOf(`${base}/a/b`), 'directory|750|deploy|deploy')
      })

      it('symbolic and integer modes, as Ansible takes them', async () => {
        await sh(bed(), H, `mkdir -p ${base}/m && install -m 0600 /dev/null ${base}/m/f`)
        await assertConverges(file, { path: `${base}/m/f`, mode: 'u=rw,g=r,o=r' }, env())
        assert.equal(await statOf(`${base}/m/f`), 'regular empty file|644|root|root')
        await assertConverges(file, { path: `${base}/m/f`, mode: 0o640 }, env())
        assert.equal(await statOf(`${base}/m/f`), 'regular empty file|640|root|root')
        const r = await realRun(file, { path: `${base}/m/f`, mode: 'g+w,o+X' }, env())
        assert.equal(r.status, 'changed')
        assert.equal(await statOf(`${base}/m/f`), 'regular empty file|660|root|root')
      })

      it('state=file on a missing path fails; default state follows what is there', async () => {
        const r = await realRun(file, { path: `${base}/nope` }, env())
        assert.equal(r.status, 'failed')
        assert.equal(r.msg, `file (${base}/nope) is absent, cannot continue`)
        const d = await realRun(file, { path: `${base}/a` }, env())
        assert.equal(d.status, 'ok')
        assert.match(d.reason!, /^directory .* exists/)
      })

      it('link: create, re-point, ok when right; refuses to replace a file without force', async () => {
        await sh(bed(), H, `mkdir -p ${base}/l && echo one > ${base}/l/v1 && echo two > ${base}/l/v2 && echo f > ${base}/l/file`)
        const { again } = await assertConverges(file, { path: `${base}/l/cur`, state: 'link', src: `${base}/l/v1` }, env())
        // followed (the default): the target's attributes, as Ansible manages them
        assert.equal(again.reason, `link ${base}/l/cur -> ${base}/l/v1 exists, mode 0644, owner root:root`)
        await assertConverges(file, { path: `${base}/l/cur`, state: 'link', src: 'v2' }, env())
        assert.equal(await sh(bed(), H, `readlink ${base}/l/cur; cat ${base}/l/cur`), 'v2\ntwo')
        const refuse = await realRun(file, { path: `${base}/l/file`, state: 'link', src: 'v1' }, env())
        assert.equal(refuse.status, 'failed')
        assert.match(refuse.msg!, /refusing to convert from file to symlink/)
        const missing = await realRun(file, { path: `${base}/l/dangling`, state: 'link', src: `${base}/l/none` }, env())
        assert.match(missing.msg!, /src file does not exist/)
        await assertConverges(file, { path: `${base}/l/dangling`, state: 'link', src: `${base}/l/none`, force: true }, env())
      })

      it('hard link converges on the same inode', async () => {
        await assertConverges(file, { path: `${base}/l/hard`, state: 'hard', src: `${base}/l/v1` }, env())
        assert.equal(await sh(bed(), H, `[ ${base}/l/hard -ef ${base}/l/v1 ] && echo same`), 'same')
      })

      it('recurse: owner and mode down the tree, only what differs; then ok', async () => {
        await sh(bed(), H, `mkdir -p ${base}/r/x/y && touch ${base}/r/x/f1 ${base}/r/x/y/f2 && chmod 0600 ${base}/r/x/f1`)
        const args = { path: `${base}/r`, state: 'directory', recurse: true, owner: 'deploy', mode: 'u=rwX,g=rX,o=' }
        const { again } = await assertConverges(file, args, env())
        assert.match(again.reason!, new RegExp(`directory ${base}/r and its 4 entries have owner deploy, the wanted mode`))
        assert.equal(
          await sh(bed(), H, `cd ${base}/r && find . -printf '%p %m %u\\n' | sort`),
          '. 750 deploy\n./x 750 deploy\n./x/f1 640 deploy\n./x/y 750 deploy\n./x/y/f2 640 deploy',
        )
      })

      it('absent removes a tree; touch is changed every time (as Ansible)', async () => {
        await assertConverges(file, { path: `${base}/r`, state: 'absent' }, env())
        await sh(bed(), H, `test ! -e ${base}/r`)
        const t1 = await realRun(file, { path: `${base}/touched`, state: 'touch', mode: '0600' }, env())
        assert.equal(t1.status, 'changed')
        assert.equal(t1.changes[0]!.summary, `create empty file ${base}/touched`)
        const t2 = await realRun(file, { path: `${base}/touched`, state: 'touch', mode: '0600' }, env())
        assert.equal(t2.status, 'changed')
        assert.equal(await statOf(`${base}/touched`), 'regular empty file|600|root|root')
      })

      it('touch with preserve converges (only attributes); explicit times are set once (host local time); now always changes', async () => {
        const f = `${base}/stamped`
        const keep = { path: f, state: 'touch', mode: '0640', modification_time: 'preserve', access_time: 'preserve' }
        const { applied } = await assertConverges(file, keep, env())
        assert.equal(applied.changes[0]!.summary, `create empty file ${f}`)
        await sh(bed(), H, `chmod 0600 ${f}`)
        const fix = await realRun(file, keep, env())
        assert.deepEqual(
          fix.changes.map((c) => c.summary),
          [`set mode of ${f}`],
        )
        const at = { path: f, state: 'file', modification_time: '202401020304.05', access_time: '2023-12-31 23:59', access_time_format: '%Y-%m-%d %H:%M' }
        await assertConverges(file, at, env())
        assert.equal(
          await sh(bed(), H, `date -d @$(stat -c %Y ${f}) '+%F %T'; date -d @$(stat -c %X ${f}) '+%F %T'`),
          '2024-01-02 03:04:05\n2023-12-31 23:59:00',
        )
        await sh(bed(), H, `touch ${f}`)
        assert.equal((await checkRun(file, at, env())).status, 'changed', 'drift of the times seen')
        await assertConverges(file, at, env())
        assert.equal((await realRun(file, { path: f, state: 'file', modification_time: 'now' }, env())).status, 'changed')
        assert.equal((await realRun(file, { path: f, state: 'file', modification_time: 'now' }, env())).status, 'changed', 'now changes every time, as Ansible')
      })

      it('hostile names work: spaces, quotes, $(), backticks, ;, newline', async () => {
        const p = `${base}/h $(touch /tmp/pwned) \`id\` ; 'q' "d"\nx`
        await assertConverges(file, { path: p, state: 'directory', mode: '0700' }, env())
        const r = await bed().exec(H, `test -d ${q(p)} && stat -c %a ${q(p)}; test ! -e /tmp/pwned && echo safe`)
        assert.equal(r.stdout, '700\nsafe\n')
        await assertConverges(file, { path: p, state: 'absent' }, env())
      })

      it('bad arguments fail before touching the host, naming the argument', async () => {
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ path: `${base}/x`, bogus: 1 }, /unknown argument 'bogus'/],
          [{ path: `${base}/x`, state: 'dir' }, /argument 'state' must be one of/],
          [{ path: `${base}/x`, mode: '0999' }, /argument 'mode' must be octal/],
          [{ path: `${base}/x`, mode: 'u=rwz' }, /argument 'mode' has a bad symbolic clause/],
          [{ path: `${base}/x`, state: 'link' }, /src is required for creating new symlinks/],
          [{ path: `${base}/x`, state: 'touch', modification_time: '2024-01-02' }, /does not match format '%Y%m%d%H%M\.%S'/],
          [{ path: `${base}/x`, state: 'touch', access_time: 'x', access_time_format: '%s' }, /the directive %s is not supported/],
          [{ path: `${base}/x`, state: 'touch', attributes: '+i' }, /argument 'attributes' of module file is not supported yet/],
          [{ path: `${base}/x`, owner: 'a b' }, /argument 'owner' is not a valid user name/],
          [{ path: `${base}/x`, state: 'file', recurse: true }, /recurse option requires state to be 'directory'/],
        ]
        for (const [args, re] of cases) {
          const r = await realRun(file, args, env())
          assert.equal(r.status, 'failed', JSON.stringify(args))
          assert.match(r.msg!, re)
        }
      })

      it('check mode sees earlier unapplied changes (directory, then copy into it, then file on it)', async () => {
        const effects = new EffectStore()
        const d = `${base}/eff/sub`
        assert.equal((await checkRun(file, { path: d, state: 'directory' }, { ...env(), effects })).status, 'changed')
        const c = await checkRun(copy, { content: 'x\n', dest: `${d}/f` }, { ...env(), effects })
        assert.equal(c.status, 'changed', c.msg)
        const f = await checkRun(file, { path: `${d}/f`, mode: '0644' }, { ...env(), effects })
        assert.equal(f.status, 'ok', f.msg)
        await sh(bed(), H, `test ! -e ${base}/eff`)
      })
    })
  }
})
