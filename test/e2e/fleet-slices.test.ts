/**
 * Past one controller: 4 `--slice K/4` runs at once against 40 light hosts give, merged with
 * `acplay report merge`, the same report host for host as one run; together they converge every
 * host exactly once; merge refuses parts that do not belong together.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { AuditReport } from '../../engine/report/audit-json.js'
import { sliceMembers } from '../../engine/inventory/slice.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { acplay, type CliResult } from '../helpers/cli.js'
import { FLEET_PLAYBOOK, fleetBed } from '../helpers/fleet.js'
import { testbedSkip, type Testbed } from '../helpers/testbed-fixture.js'

const N = 4
const HOSTS = 40
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** A report without what differs between runs of the same work: times, and how it was split. */
function comparable(r: AuditReport): unknown {
  const { startedAt, finishedAt, durationMs, parts, slice, warnings, ...rest } = r
  void [startedAt, finishedAt, durationMs, parts, slice, warnings]
  const sorted = {
    ...rest,
    hosts: [...rest.hosts].sort((a, b) => (a.host < b.host ? -1 : 1)),
    recap: [...rest.recap].sort((a, b) => (a.host < b.host ? -1 : 1)),
  }
  sorted.plays = sorted.plays.map((p) => ({ ...p, hosts: [...p.hosts].sort() }))
  return JSON.parse(JSON.stringify(sorted, (k, v) => (k === 'durationMs' ? 0 : v)))
}

describe(`--slice K/${N} on ${HOSTS} light hosts, merged`, { skip: testbedSkip() }, () => {
  let bed: Testbed
  let inventory: string
  const file = (name: string) => join(bed.dir, name)
  const readReport = (name: string) => JSON.parse(readFileSync(file(name), 'utf8')) as AuditReport

  /** The 4 parts at once, each writing part-K.json (prefix-K.json). */
  async function slices(cmd: 'check' | 'run', prefix: string): Promise<CliResult[]> {
    const t0 = Date.now()
    const rs = await Promise.all(
      Array.from({ length: N }, (_, k) =>
        acplay([cmd, FLEET_PLAYBOOK, '-i', inventory, '--slice', `${k + 1}/${N}`, '--report', file(`${prefix}-${k + 1}.json`)]),
      ),
    )
    console.log(`fleet: ${N} slices of ${cmd} at once in ${secs(Date.now() - t0)}`)
    return rs
  }
  const parts = (prefix: string) => Array.from({ length: N }, (_, k) => file(`${prefix}-${k + 1}.json`))

  before(async () => {
    const t0 = Date.now()
    bed = await fleetBed(HOSTS)
    inventory = bed.inventory()
    console.log(`fleet: ${HOSTS} light hosts up in ${secs(Date.now() - t0)}`)
  })
  after(async () => {
    await bed?.down()
  })

  it('--list-hosts: the parts are disjoint, add up to the inventory, and follow the AWX rule', async () => {
    const all = bed.hosts.map((h) => h.name)
    const seen: string[] = []
    for (let k = 1; k <= N; k++) {
      const r = await acplay(['run', FLEET_PLAYBOOK, '-i', inventory, '--slice', `${k}/${N}`, '--list-hosts'])
      assert.equal(r.code, 0, r.stderr)
      const listed = r.stdout
        .split('\n')
        .filter((l) => /^ {6}\S/.test(l))
        .map((l) => l.trim())
      assert.equal(listed.length, HOSTS / N)
      assert.deepEqual(new Set(listed), sliceMembers(all, { index: k, count: N }))
      seen.push(...listed)
    }
    assert.deepEqual(seen.sort(), [...all].sort())
  })

  it('check: 4 slices at once, merged, equal one check over all 40 hosts, host for host; exit 2 (drift)', async () => {
    const one = await acplay(['check', FLEET_PLAYBOOK, '-i', inventory, '--report', file('one-check.json')])
    assert.equal(one.code, 2, one.stderr)
    for (const r of await slices('check', 'check')) assert.equal(r.code, 2, r.stderr)
    const merged = await acplay(['report', 'merge', ...parts('check'), '-o', file('merged-check.json')])
    assert.equal(merged.code, 2, merged.stderr)
    assert.match(merged.stdout, /^PLAY RECAP \(4 reports merged\)/)
    assert.match(merged.stdout, new RegExp(`drift: \\d+ task\\(s\\) would change on ${HOSTS} of ${HOSTS} audited host\\(s\\)`))
    const m = readReport('merged-check.json')
    assert.deepEqual(auditSchemaErrors(m), [])
    assert.equal(m.hosts.length, HOSTS)
    assert.deepEqual(comparable(m), comparable(readReport('one-check.json')))
    assert.ok(m.drift.tasks >= HOSTS * 10, `every host drifts on most tasks (${m.drift.tasks})`)
  })

  it('run: 4 slices at once converge every host exactly once; the merged run report exits 0; then one check finds no drift', async () => {
    for (const r of await slices('run', 'run')) assert.equal(r.code, 0, r.stderr)
    const merged = await acplay(['report', 'merge', ...parts('run'), '--json'])
    assert.equal(merged.code, 0, merged.stderr)
    const m = JSON.parse(merged.stdout) as AuditReport
    assert.deepEqual(auditSchemaErrors(m), [])
    assert.equal(m.recap.length, HOSTS)
    for (const r of m.recap) {
      assert.equal(r.failed + r.unreachable, 0, r.host)
      assert.ok(r.changed >= 10, `${r.host} changed ${r.changed}`)
    }
    const again = await acplay(['check', FLEET_PLAYBOOK, '-i', inventory])
    assert.equal(again.code, 0, again.stdout)
    assert.match(again.stdout, new RegExp(`no drift on ${HOSTS} audited host\\(s\\)`))
    const node = await bed.exec('f17', 'cat /etc/fleet/node.env; id -nG alice')
    assert.equal(node.stdout, `FLEET_NODE_NAME=f17\nFLEET_NODE_ADDRESS=${bed.host('f17').address}\nFLEET_GROUPS=ungrouped\nalice operators\n`, node.stderr)
  })

  it('merge refuses: a part twice, a missing part, check and run parts mixed', async () => {
    const [c1, c2, c3, c4] = parts('check')
    const twice = await acplay(['report', 'merge', c1!, c2!, c3!, c4!, c2!])
    assert.equal(twice.code, 1)
    assert.match(twice.stderr, /E_MERGE: .*check-2\.json: (host \S+ is in two parts|slice 2\/4 again)/)
    const missing = await acplay(['report', 'merge', c1!, c2!, c3!])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /slice 4\/4 missing/)
    const mixed = await acplay(['report', 'merge', c1!, c2!, c3!, parts('run')[3]!])
    assert.equal(mixed.code, 1)
    assert.match(mixed.stderr, /run-4\.json: a real run, .*check-1\.json is a check run/)
  })
})
