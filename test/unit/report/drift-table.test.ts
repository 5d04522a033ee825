import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { detailedExitCode, driftByHost, driftTableLines, driftTableReporter } from '../../../engine/report/drift-table.js'
import { drive, result } from './fixtures.js'

const recapOf = (host: string, c: Partial<Record<'changed' | 'failed' | 'unreachable', number>>) => ({
  host,
  ok: 0,
  changed: 0,
  unreachable: 0,
  failed: 0,
  skipped: 0,
  rescued: 0,
  ignored: 0,
  ...c,
})

describe('drift table', () => {
  const results = [
    result('web1', 'a', 'changed'),
    result('web1', 'b', 'ok'),
    result('web1', 'c', 'changed'),
    result('web1', 'd', 'changed'),
    result('web1', 'e', 'changed'),
    result('web2', 'a', 'ok'),
    result('db1', 'restart', 'changed', { task: { name: 'restart', handler: true } }),
  ]
  const recap = [recapOf('web1', { changed: 4 }), recapOf('web2', {}), recapOf('db1', { changed: 1 }), recapOf('down', { unreachable: 1 })]

  it('counts the changed (host, task) pairs per host, in run order, handlers included', () => {
    const d = driftByHost({ recap, results })
    assert.deepEqual(
      d.map((x) => [x.host, x.tasks]),
      [
        ['web1', ['web : a', 'web : c', 'web : d', 'web : e']],
        ['web2', []],
        ['db1', ['handler restart']],
        ['down', []],
      ],
    )
  })

  it('shows the first three tasks, then how many more, and a total', () => {
    const lines = driftTableLines(driftByHost({ recap, results }))
    assert.deepEqual(lines.slice(0, 6), [
      'HOST  would change  STATE        TASKS',
      '----  ------------  -----------  -----',
      'web1             4  drift        web : a, web : c, web : d, +1 more',
      'web2             0  in sync',
      'db1              1  drift        handler restart',
      'down             0  UNREACHABLE',
    ])
    assert.equal(lines.at(-1), 'drift: 5 task(s) would change on 2 of 3 audited host(s); 1 unreachable (not audited)')
    assert.equal(driftTableLines([{ host: 'h', tasks: [], failed: 0, unreachable: false }]).at(-1), 'no drift on 1 audited host(s)')
    assert.equal(driftTableLines([{ host: 'h', tasks: [], failed: 2, unreachable: false }]).at(-1), 'no drift on 1 audited host(s); 1 with failed tasks')
  })

  it('colours rows only when asked (TTY)', () => {
    assert.ok(driftTableLines(driftByHost({ recap, results }), { color: true })[2]!.startsWith('\x1b[33m'))
    assert.ok(!driftTableLines(driftByHost({ recap, results })).some((l) => l.includes('\x1b')))
  })

  it('the reporter prints only at the end of a check run', async () => {
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += d))
    await drive(driftTableReporter({ out }), ['web1'], [result('web1', 'a', 'changed')], { check: false })
    assert.equal(text, '')
    await drive(driftTableReporter({ out }), ['web1'], [result('web1', 'a', 'changed')], { check: true })
    assert.match(text, /^\nDRIFT \(check mode\) \*+\nHOST {2}would change {2}STATE {2}TASKS\n/)
    assert.match(text, /web1 {13}1 {2}drift {2}web : a\n/)
  })
})

describe('detailed exit code (acplay check)', () => {
  it('4 unreachable wins over 1 failed, which wins over 2 drift; 0 in sync', () => {
    assert.equal(detailedExitCode({ recap: [recapOf('a', { changed: 1 }), recapOf('b', { failed: 1 }), recapOf('c', { unreachable: 1 })] }), 4)
    assert.equal(detailedExitCode({ recap: [recapOf('a', { changed: 1 }), recapOf('b', { failed: 1 })] }), 1)
    assert.equal(detailedExitCode({ recap: [recapOf('a', { changed: 1 }), recapOf('b', {})] }), 2)
    assert.equal(detailedExitCode({ recap: [recapOf('a', {}), recapOf('b', {})] }), 0)
    assert.equal(detailedExitCode({ recap: [] }), 0)
  })
})
