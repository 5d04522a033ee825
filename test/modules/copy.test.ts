/** copy on a real Debian host: files, inline content, directory trees (only what differs), as root and deploy+become. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { Masker } from '../../engine/secrets.js'
import { copy } from '../../modules/copy.js'
import { lineinfile } from '../../modules/lineinfile.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

describe('copy on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['c1'])
  const H = 'c1'
  const local = mkdtempSync(join(tmpdir(), 'acplay-copy-'))
  after(() => rmSync(local, { recursive: true, force: true }))
  const dags = join(local, 'dags')
  mkdirSync(join(dags, 'sub', 'deep'), { recursive: true })
  for (let n = 0; n < 300; n++) writeFileSync(join(dags, n % 3 ? 'sub' : '.', `dag_${n}.py`), `# dag ${n}\nprint(${n})\n`)
  writeFileSync(join(dags, 'sub', 'deep', 'odd name $(x) `y`;.py'), 'odd\n')
  writeFileSync(join(local, 'bin.dat'), Buffer.from([0, 1, 2, 3, 255]))
  const findFile = (p: string) => (p.startsWith('/') ? p : join(local, p))

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const base = `/srv/c${i}`
      const e = () => ({ ...env(), findFile })

      it('content: check on a fresh host changes nothing; converges; --diff shows the text; drift is repaired', async () => {
        await sh(bed(), H, `mkdir -p ${base}`)
        const args = { content: 'hello\nworld\n', dest: `${base}/hello.txt`, owner: 'deploy', mode: '0640' }
        const c = await checkRun(copy, args, e())
        assert.equal(c.status, 'changed', c.msg)
        assert.match(c.changes[0]!.summary, new RegExp(`^create ${base}/hello.txt \\(\\d+ bytes, mode 0640, owner deploy:root\\)$`))
        assert.deepEqual(c.changes[0]!.diff, { path: `${base}/hello.txt`, before: '', after: 'hello\nworld\n', attrs: { state: ['absent', 'file'] } })
        await sh(bed(), H, `test ! -e ${base}/hello.txt`)
        const { again } = await assertConverges(copy, args, e())
        assert.match(again.reason!, new RegExp(`^${base}/hello.txt has the wanted content \\(\\d+ bytes\\), mode 0640, owner deploy:root$`))
        assert.equal(await sh(bed(), H, `stat -c '%a %U' ${base}/hello.txt; cat ${base}/hello.txt`), '640 deploy\nhello\nworld')
        await sh(bed(), H, `echo hacked > ${base}/hello.txt; chmod 0666 ${base}/hello.txt`)
        const d = await checkRun(copy, args, e())
        assert.equal(d.status, 'changed')
        assert.deepEqual(d.changes[0]!.diff, { path: `${base}/hello.txt`, before: 'hacked\n', after: 'hello\nworld\n', attrs: { mode: ['0666', '0640'] } })
        assert.equal((await realRun(copy, args, e())).status, 'changed')
        assert.equal(await sh(bed(), H, `stat -c '%a' ${base}/hello.txt; cat ${base}/hello.txt`), '640\nhello\nworld')
      })

      it('secret content never shows in summaries or diffs', async () => {
        const masker = new Masker()
        const r = await realRun(copy, { content: 'TOPSECRET', dest: `${base}/secret`, mode: '0600', secret: true }, { ...e(), masker })
        assert.equal(r.status, 'changed')
        assert.doesNotMatch(JSON.stringify(r), /TOPSECRET/)
        assert.equal(r.changes[0]!.diff, undefined, 'no diff for a secret upload')
        const c = await checkRun(copy, { content: 'TOPSECRET2', dest: `${base}/secret`, mode: '0600', secret: true }, { ...e(), masker })
        assert.doesNotMatch(JSON.stringify(c), /TOPSECRET/)
        assert.equal(await sh(bed(), H, `cat ${base}/secret`), 'TOPSECRET')
      })

      it('a src file into a directory; binary content; backup; force=no', async () => {
        const { again } = await assertConverges(copy, { src: 'bin.dat', dest: `${base}/` }, e())
        assert.match(again.reason!, /bin.dat has the wanted content/)
        assert.equal(await sh(bed(), H, `od -An -tx1 ${base}/bin.dat`), '00 01 02 03 ff')
        const r = await realRun(copy, { content: 'v2\n', dest: `${base}/hello.txt`, backup: true }, e())
        assert.equal(r.status, 'changed')
        const backup = String(r.data.backup_file)
        assert.equal(await sh(bed(), H, `cat ${q(backup)}`), 'hello\nworld')
        const keep = await realRun(copy, { content: 'other\n', dest: `${base}/hello.txt`, force: false }, e())
        assert.equal(keep.status, 'ok')
        assert.equal(keep.reason, `${base}/hello.txt exists (force=no: its content is left alone)`)
      })

      it('validate runs against the temp file before the rename; a failure leaves dest alone', async () => {
        const bad = await realRun(copy, { content: 'not ok\n', dest: `${base}/hello.txt`, validate: 'grep -q ^ok %s' }, e())
        assert.equal(bad.status, 'failed')
        assert.equal(bad.msg, 'failed to validate')
        assert.equal(bad.data.exit_status, 1)
        assert.equal(await sh(bed(), H, `cat ${base}/hello.txt; ls -a ${base} | grep -c acplay-tmp || true`), 'v2\n0')
        await assertConverges(copy, { content: 'ok\n', dest: `${base}/hello.txt`, validate: 'grep -q ^ok %s' }, e())
      })

      it('a directory tree of 300 files: one round trip when nothing differs; only changed files are sent', async () => {
        const args = { src: 'dags/', dest: `${base}/dags`, owner: 'deploy', mode: '0644', directory_mode: '0755' }
        const c = await checkRun(copy, args, e())
        assert.equal(c.status, 'changed', c.msg)
        assert.equal(c.changes.length, 302, 'one change for the directories + one per file')
        await sh(bed(), H, `test ! -e ${base}/dags`)
        const { again } = await assertConverges(copy, args, e())
        assert.equal(again.reason, `${base}/dags: all 301 file(s) up to date (sha256, owner and mode match)`)
        assert.equal(await sh(bed(), H, `find ${base}/dags -type f | wc -l; stat -c '%a %U' ${base}/dags/sub/deep`), '301\n755 deploy')
        const conn = env().conn
        const before = conn.execCount
        assert.equal((await realRun(copy, args, e())).status, 'ok')
        assert.equal(conn.execCount - before, 1, 'a no-op directory copy is one round trip')
        await sh(bed(), H, `echo drift > ${base}/dags/sub/dag_1.py; rm ${q(`${base}/dags/sub/deep/odd name $(x) \`y\`;.py`)}; touch ${base}/dags/extra.py`)
        const d = await checkRun(copy, args, e())
        assert.deepEqual(d.changes.map((x) => x.summary).sort(), [`create ${base}/dags/sub/deep/odd name $(x) \`y\`;.py`, `update ${base}/dags/sub/dag_1.py`])
        assert.equal(d.changes.find((x) => x.summary.startsWith('update'))!.diff?.before, 'drift\n')
        assert.equal((await realRun(copy, args, e())).status, 'changed')
        assert.equal(await sh(bed(), H, `cat ${base}/dags/sub/dag_1.py; test -e ${base}/dags/extra.py && echo extra-kept`), '# dag 1\nprint(1)\nextra-kept')
        // `src: dags` (no slash) copies the directory itself
        await assertConverges(copy, { src: 'dags', dest: `${base}/other` }, e())
        assert.equal(await sh(bed(), H, `test -f ${base}/other/dags/dag_0.py && echo ok`), 'ok')
      })

      it('check mode chains: copy then lineinfile on the unwritten file', async () => {
        const effects = new EffectStore()
        const c = await checkRun(copy, { content: 'a=1\n', dest: `${base}/chain.conf` }, { ...e(), effects })
        assert.equal(c.status, 'changed')
        const l = await checkRun(lineinfile, { path: `${base}/chain.conf`, line: 'a=1' }, { ...e(), effects })
        assert.equal(l.status, 'ok', l.msg)
        const l2 = await checkRun(lineinfile, { path: `${base}/chain.conf`, line: 'b=2' }, { ...e(), effects })
        assert.equal(l2.status, 'changed', l2.msg)
        assert.equal(l2.changes.at(-1)!.diff?.after, 'a=1\nb=2\n')
      })

      it('remote_src copies a file on the host (mode preserve, then converges); follow writes through a link; checksum guards the source', async () => {
        await sh(
          bed(),
          H,
          `mkdir -p ${base}/rs && printf 'hello\\n' > ${base}/rs/src.txt && chmod 0640 ${base}/rs/src.txt && printf 'old\\n' > ${base}/rs/real && ln -sfn real ${base}/rs/link`,
        )
        const rs = { src: `${base}/rs/src.txt`, dest: `${base}/rs/copy.txt`, remote_src: true, mode: 'preserve' }
        const c = await checkRun(copy, rs, e())
        assert.equal(c.changes[0]!.summary, `create ${base}/rs/copy.txt from ${base}/rs/src.txt (6 bytes, mode 0640, owner root:root)`)
        await assertConverges(copy, rs, e())
        assert.equal(await sh(bed(), H, `cat ${base}/rs/copy.txt; stat -c %a ${base}/rs/copy.txt`), 'hello\n640')
        await sh(bed(), H, `echo drift >> ${base}/rs/copy.txt`)
        assert.equal((await realRun(copy, rs, e())).status, 'changed', 'drift repaired')
        assert.equal(await sh(bed(), H, `cat ${base}/rs/copy.txt`), 'hello')
        await assertConverges(copy, { content: 'through\n', dest: `${base}/rs/link`, follow: true }, e())
        assert.equal(await sh(bed(), H, `readlink ${base}/rs/link; cat ${base}/rs/real`), 'real\nthrough')
        const sha1 = '4f6b2d2a5c5b2f8a7b5a2c9d0b0e4d9a7f4b7a47'
        const bad = await realRun(copy, { content: 'x\n', dest: `${base}/rs/sum`, checksum: sha1 }, e())
        assert.equal(bad.msg, 'Copied file does not match the expected checksum. Transfer failed.')
        await assertConverges(copy, { content: 'x\n', dest: `${base}/rs/sum`, checksum: '6fcf9dfbd479ed82697fee719b9f8c610a11ff2a' }, e())
        const dir = await realRun(copy, { src: `${base}/rs`, dest: `${base}/rs2`, remote_src: true }, e())
        assert.equal(dir.msg, 'remote_src with a directory src is not supported yet')
      })

      it('bad arguments and missing parents fail clearly', async () => {
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ dest: `${base}/x` }, /one of these arguments is required: src, content/],
          [{ content: 'x', src: 'bin.dat', dest: `${base}/x` }, /mutually exclusive: src, content/],
          [{ content: 'x', dest: `${base}/x`, mode: 'rw' }, /argument 'mode' has a bad symbolic clause/],
          [{ content: 'x', dest: `${base}/x`, validate: 'true' }, /argument 'validate' must contain %s/],
          [{ content: 'x', dest: `${base}/nodir/x` }, new RegExp(`Destination directory ${base}/nodir does not exist`)],
          [{ content: 'x', dest: `${base}/` }, /can not use content with a dir as dest/],
        ]
        for (const [args, re] of cases) {
          const r = await realRun(copy, args, e())
          assert.equal(r.status, 'failed', JSON.stringify(args))
          assert.match(r.msg!, re)
        }
      })
    })
  }
})
