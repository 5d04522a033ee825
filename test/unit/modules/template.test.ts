/** template planner given recorded facts: renders with ctx.render, compares checksums, never shows secrets. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sha256 } from '../../../modules/files/stat.js'
import { template } from '../../../modules/template.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput, type Recorded } from './stats-output.js'

describe('template planner given facts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-tpl-unit-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'a.j2'), 'key={{ k }}\n')
  const paths = ['/etc/a.conf', '/etc', '/etc/a.conf/a.j2']
  const rec = (file: Recorded) => statsOutput('root', 'root', [file, { stat: 'directory|755|root|root|0|0|4096|2|2049' }, 'absent'])
  const ctxWith = (out: string) => {
    const c = fakeCtx({ [JSON.stringify(['path.stats', paths])]: out })
    return { ...c, findFile: (p: string) => join(dir, p), render: (t: string) => t.replace('{{ k }}', 'v1'), reads: c.reads }
  }
  const p = { src: 'a.j2', dest: '/etc/a.conf', backup: false, force: true, secret: false } as never

  it('ok when the rendered text has the same checksum', async () => {
    const plan = await template.plan(p, ctxWith(rec({ stat: 'regular file|644|root|root|0|0|7|9|2049', sha: sha256('key=v1\n') })))
    assert.equal(plan.kind, 'ok')
    assert.match(plan.kind === 'ok' ? plan.reason : '', /^\/etc\/a.conf has the wanted content \(\d+ bytes\), mode 0644, owner root:root$/)
  })
  it('a new file: upload with mode 0644, effects with the new checksum', async () => {
    const plan = await template.plan(p, ctxWith(rec('absent')))
    const c = plan.kind === 'change' ? plan.changes[0]! : undefined
    assert.equal(c?.upload?.content?.toString(), 'key=v1\n')
    assert.equal(c?.upload?.mode, '0644')
    assert.deepEqual(c?.effects?.[0], {
      fact: 'path.stat',
      key: '/etc/a.conf',
      value: { exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', sha256: sha256('key=v1\n'), size: 7 },
    })
  })
  it('secret: the upload is marked and the summary has no checksum of the text', async () => {
    const plan = await template.plan({ ...(p as object), secret: true } as never, ctxWith(rec('absent')))
    const c = plan.kind === 'change' ? plan.changes[0]! : undefined
    assert.equal(c?.upload?.secret, true)
    assert.equal(c?.summary, `${'/etc/a.conf'.replace(/^/, 'create ')} (secret content, mode 0644, owner root:root)`)
  })
})
