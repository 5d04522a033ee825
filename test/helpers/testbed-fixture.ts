/**
 * Testbed hosts for node:test files: boot in `before`, tear down in `after` (and on exit/signals).
 * Without root or the tools the tests are reported SKIPPED, loudly, never silently passed:
 *
 *   describe('user module on a real host', { skip: testbedSkip() }, () => {
 *     const bed = useTestbed(['h1'])
 *     it('creates a user', async () => { const r = await bed().exec('h1', 'id astro'); ... })
 *   })
 *
 * `{ skip: testbedSkip() }` keeps the bodies from running at all; without it useTestbed still marks
 * every test skipped, but a body that calls bed() then fails with the reason.
 */
import { after, before, beforeEach } from 'node:test'
import { missingTools } from '../testbed/preflight.js'
import { Testbed, type UpOptions } from '../testbed/testbed.js'

export function isRoot(): boolean {
  return process.getuid?.() === 0
}

let announced = false

/** Why the testbed cannot run here (printed loudly once), or false when it can. */
export function testbedSkip(): string | false {
  const reasons: string[] = []
  if (!isRoot()) reasons.push('needs root (mount, ip netns, systemd-nspawn); run the tests as root')
  const missing = missingTools()
  if (missing.length) reasons.push(`missing tools: ${missing.join(', ')} (bash scripts/setup-test-deps.sh)`)
  if (reasons.length === 0) return false
  const reason = `SKIPPED: testbed ${reasons.join('; ')}`
  if (!announced) {
    announced = true
    const bar = '!'.repeat(78)
    process.stderr.write(`\n${bar}\n!! ${reason}\n!! integration tests on real hosts are NOT running in ${process.argv[1] ?? 'this file'}\n${bar}\n\n`)
  }
  return reason
}

/** Boots `hosts` before the suite's tests and downs them after; returns a getter for the Testbed. */
export function useTestbed(hosts: string[] | number, opts: Omit<UpOptions, 'hosts' | 'detached'> = {}): () => Testbed {
  const skip = testbedSkip()
  let bed: Testbed | undefined
  if (skip) {
    beforeEach((t) => {
      if ('skip' in t) t.skip(skip)
    })
    return () => {
      throw new Error(skip)
    }
  }
  before(async () => {
    bed = await Testbed.up({ ...opts, hosts })
    console.log(`testbed: booted ${bed.hosts.length} host(s) in ${bed.timings.bootS.toFixed(1)} s`)
  })
  after(async () => {
    await bed?.down()
  })
  return () => {
    if (!bed) throw new Error('testbed: not up (useTestbed boots it in before(); call the getter inside tests)')
    return bed
  }
}

export { Testbed }
export type { TestHost } from '../testbed/testbed.js'
