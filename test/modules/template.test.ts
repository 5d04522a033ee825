/** template on a real Debian host (the renderer is a stand-in: the Jinja engine is tested on its own). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { template } from '../../modules/template.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

describe('template on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['t1'])
  const H = 't1'
  const local = mkdtempSync(join(tmpdir(), 'acplay-tpl-'))
  after(() => rmSync(local, { recursive: true, force: true }))
  writeFileSync(join(local, 'airflow.cfg.j2'), '[core]\nexecutor = {{ executor }}\nfernet_key = {{ fernet }}\n')
  const vars: Record<string, string> = { executor: 'LocalExecutor', fernet: 'F3RN3T-s3cr3t' }
  const render = (t: string) => t.replace(/\{\{ (\w+) \}\}/g, (_, k: string) => vars[k] ?? '')
  const findFile = (p: string, kind: string) => {
    assert.equal(kind, 'templates')
    return join(local, p)
  }

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const dir = `/srv/tpl${i}`
      const e = () => ({ ...env(), findFile, render })

      it('renders, converges, reports drift with a diff, repairs it', async () => {
        vars.fernet = 'F3RN3T-s3cr3t'
        await sh(bed(), H, `mkdir -p ${dir}`)
        const args = { src: 'airflow.cfg.j2', dest: `${dir}/airflow.cfg`, owner: 'deploy', mode: 'u=rw,g=r,o=' }
        const c = await checkRun(template, args, e())
        assert.equal(c.status, 'changed', c.msg)
        assert.equal(c.changes[0]!.diff?.after, '[core]\nexecutor = LocalExecutor\nfernet_key = F3RN3T-s3cr3t\n')
        await sh(bed(), H, `test ! -e ${dir}/airflow.cfg`)
        const { again } = await assertConverges(template, args, e())
        assert.match(again.reason!, /airflow.cfg has the wanted content \(\d+ bytes\), mode 0640, owner deploy:root$/)
        await sh(bed(), H, `sed -i 's/LocalExecutor/SequentialExecutor/' ${dir}/airflow.cfg`)
        const d = await checkRun(template, args, e())
        assert.equal(d.status, 'changed')
        assert.equal(d.changes[0]!.diff?.before, '[core]\nexecutor = SequentialExecutor\nfernet_key = F3RN3T-s3cr3t\n')
        assert.equal((await realRun(template, args, e())).status, 'changed')
        assert.equal(await sh(bed(), H, `grep executor ${dir}/airflow.cfg; stat -c %a ${dir}/airflow.cfg`), 'executor = LocalExecutor\n640')
      })

      it('secret: true keeps the rendered text out of the diff; into a directory it uses the template name', async () => {
        vars.fernet = 'NEW-s3cr3t'
        const r = await checkRun(template, { src: 'airflow.cfg.j2', dest: `${dir}/airflow.cfg`, secret: true }, e())
        assert.equal(r.status, 'changed')
        assert.doesNotMatch(JSON.stringify(r.changes), /s3cr3t/)
        await assertConverges(template, { src: 'airflow.cfg.j2', dest: `${dir}/` }, e())
        assert.equal(await sh(bed(), H, `grep -c NEW-s3cr3t ${dir}/airflow.cfg.j2`), '1')
      })

      it('newline_sequence writes CRLF line endings; follow writes through a link; custom delimiters are refused', async () => {
        await sh(bed(), H, `mkdir -p ${dir} && printf 'x' > ${dir}/real.cfg && ln -sfn real.cfg ${dir}/link.cfg`)
        await assertConverges(template, { src: 'airflow.cfg.j2', dest: `${dir}/crlf.cfg`, newline_sequence: '\r\n' }, e())
        assert.equal(await sh(bed(), H, `od -c ${dir}/crlf.cfg | head -1 | tr -s ' '`), '0000000 [ c o r e ] \\r \\n e x e c u t o r')
        await assertConverges(template, { src: 'airflow.cfg.j2', dest: `${dir}/link.cfg`, follow: true }, e())
        assert.equal(await sh(bed(), H, `readlink ${dir}/link.cfg; head -1 ${dir}/real.cfg`), 'real.cfg\n[core]')
        const r = await realRun(template, { src: 'airflow.cfg.j2', dest: `${dir}/x`, variable_start_string: '[[' }, e())
        assert.match(r.msg!, /argument 'variable_start_string' of module template is not supported yet: only the standard Jinja delimiters/)
        assert.equal(
          (await checkRun(template, { src: 'airflow.cfg.j2', dest: `${dir}/crlf.cfg`, newline_sequence: '\r\n', trim_blocks: true }, e())).status,
          'ok',
        )
      })

      it('hostile dest names work; bad arguments fail naming the argument', async () => {
        const hostile = `${dir}/a b'c"$(id)\`x\`;y.cfg`
        await assertConverges(template, { src: 'airflow.cfg.j2', dest: hostile }, e())
        assert.equal(await sh(bed(), H, `ls ${dir} | grep -c 'a b'`), '1')
        for (const [args, re] of [
          [{ src: 'airflow.cfg.j2' }, /missing required argument 'dest'/],
          [{ src: 'airflow.cfg.j2', dest: `${dir}/x`, mode: '8' }, /argument 'mode' must be octal/],
          [{ src: 'airflow.cfg.j2', dest: `${dir}/x`, newline_sequence: '\t' }, /argument 'newline_sequence' must be one of/],
          [{ src: 'missing.j2', dest: `${dir}/x` }, /could not read template/],
        ] as const) {
          const r = await realRun(template, args, e())
          assert.equal(r.status, 'failed')
          assert.match(r.msg!, re)
        }
      })
    })
  }
})
