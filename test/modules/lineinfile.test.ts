/** lineinfile on a real Debian host: pg_hba-style edits, as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { lineinfile } from '../../modules/lineinfile.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const HBA = '# TYPE DATABASE USER ADDRESS METHOD\nlocal   all   postgres   peer\nlocal   all   all   peer\nhost all all 127.0.0.1/32 scram-sha-256\n'

describe('lineinfile on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['l1'])
  const H = 'l1'

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const f = `/srv/l${i}/pg_hba.conf`

      it('backrefs switch peer to md5: check changes nothing, then converges; diff shows the line', async () => {
        await sh(bed(), H, `mkdir -p /srv/l${i} && printf %s '${HBA}' > ${f} && chown postgres: ${f} 2>/dev/null; chmod 0640 ${f}`)
        const args = { path: f, regexp: '^(local\\s+all\\s+all\\s+)peer$', line: '\\1md5', backrefs: true }
        const c = await checkRun(lineinfile, args, env())
        assert.equal(c.status, 'changed', c.msg)
        assert.equal(c.changes[0]!.summary, `line replaced in ${f}`)
        assert.equal(c.changes[0]!.diff?.before, HBA)
        assert.equal(c.changes[0]!.diff?.after, HBA.replace('all   all   peer', 'all   all   md5'))
        assert.equal(await sh(bed(), H, `cat ${f}`), HBA.trim())
        const { again } = await assertConverges(lineinfile, args, env())
        assert.match(again.reason!, /^no line matches regexp .* \(backrefs: file left alone\); mode 0640/)
        assert.equal(await sh(bed(), H, `sed -n 3p ${f}; stat -c %a ${f}`), 'local   all   all   md5\n640')
      })

      it('insertafter / insertbefore / absent, and drift repaired', async () => {
        await assertConverges(lineinfile, { path: f, line: 'host airflow airflow 10.231.0.0/16 md5', insertafter: '^local\\s+all\\s+all' }, env())
        await assertConverges(lineinfile, { path: f, line: '# managed by acplay', insertbefore: 'BOF' }, env())
        assert.equal(await sh(bed(), H, `sed -n '1p;5p' ${f}`), '# managed by acplay\nhost airflow airflow 10.231.0.0/16 md5')
        const { again } = await assertConverges(lineinfile, { path: f, regexp: '^host all all 127', state: 'absent' }, env())
        assert.match(again.reason!, /^no line matches regexp/)
        await sh(bed(), H, `sed -i '/^host airflow/d' ${f}`)
        const d = await checkRun(lineinfile, { path: f, line: 'host airflow airflow 10.231.0.0/16 md5', insertafter: '^local\\s+all\\s+all' }, env())
        assert.equal(d.status, 'changed')
        assert.equal(d.changes[0]!.summary, `line added in ${f}`)
      })

      it('create: makes the file (and directory) with the given mode; missing file without create fails', async () => {
        const p = `/srv/l${i}/new dir/it's $(x).conf`
        const fail = await realRun(lineinfile, { path: p, line: 'a=1' }, env())
        assert.equal(fail.status, 'failed')
        assert.equal(fail.msg, `Destination ${p} does not exist !`)
        await assertConverges(lineinfile, { path: p, line: 'a=1', create: true, mode: '0600' }, env())
        assert.equal(await sh(bed(), H, `stat -c %a "/srv/l${i}/new dir/it's \\$(x).conf"; cat "/srv/l${i}/new dir/it's \\$(x).conf"`), '600\na=1')
      })

      it('bad arguments fail before touching the host', async () => {
        for (const [args, re] of [
          [{ path: f }, /state is "present" but these are missing: line/],
          [{ path: f, line: 'x', backrefs: true }, /backrefs is true but these are missing: regexp/],
          [{ path: f, line: 'x', regexp: '(' }, /argument 'regexp' is not a valid regular expression/],
          [{ path: f, line: 'x', insertafter: 'a', insertbefore: 'b' }, /mutually exclusive: insertbefore, insertafter/],
          [{ path: f, state: 'absent' }, /state is "absent" but none of these is given: one of line, regexp, search_string/],
          [{ path: f, line: 'x', validate: 'true' }, /argument 'validate' must contain %s/],
          [{ path: `/srv/l${i}`, line: 'x' }, /is a directory !/],
        ] as const) {
          const r = await realRun(lineinfile, args, env())
          assert.equal(r.status, 'failed', JSON.stringify(args))
          assert.match(r.msg!, re)
        }
      })
    })
  }
})
