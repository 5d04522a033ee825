import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it, mock } from 'node:test'
import { IDLE_PROBE_MS, Keepalive } from '../../../engine/connection/keepalive.js'

describe('keepalive (ServerAliveInterval x ServerAliveCountMax)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }))
  afterEach(() => mock.timers.reset())

  const watch = (intervalMs: number, countMax: number) => {
    const seen = { probes: [] as number[], lostAt: undefined as number | undefined }
    const ka = new Keepalive({ intervalMs, countMax, probe: () => seen.probes.push(Date.now()), lost: () => (seen.lostAt = Date.now()) })
    return { ka, seen }
  }
  const runFor = (ms: number) => {
    for (let i = 0; i < ms / 100; i++) mock.timers.tick(100)
  }

  it('a command waiting on a silent host: probes each interval, the link lost after exactly interval x count', () => {
    const { ka, seen } = watch(5_000, 3)
    runFor(2_300) // the command starts off the timer's phase
    ka.begin()
    runFor(30_000)
    assert.deepEqual(seen.probes, [7_300, 12_300])
    assert.equal(seen.lostAt, 17_300, 'given up 15 s after the host last spoke')
    ka.stop()
  })

  it('anything heard resets the count; a host that keeps talking is never probed', () => {
    const { ka, seen } = watch(5_000, 3)
    ka.begin()
    for (let t = 0; t < 60_000; t += 4_000) {
      runFor(4_000)
      ka.heard()
    }
    assert.deepEqual(seen.probes, [])
    runFor(6_000)
    ka.heard() // answers the first probe
    runFor(12_000)
    assert.equal(seen.probes.length, 3)
    assert.equal(seen.lostAt, undefined, 'still 2 s short of the bound since it last spoke')
    runFor(3_000)
    assert.equal(seen.lostAt, 60_000 + 6_000 + 15_000)
    ka.stop()
  })

  it('an idle connection (no command waiting) is probed once a minute; stop() ends the timer', () => {
    const { ka, seen } = watch(5_000, 3)
    runFor(IDLE_PROBE_MS - 100)
    assert.deepEqual(seen.probes, [])
    runFor(100)
    assert.deepEqual(seen.probes, [IDLE_PROBE_MS])
    ka.heard()
    ka.stop()
    runFor(5 * IDLE_PROBE_MS)
    assert.deepEqual(seen.probes, [IDLE_PROBE_MS])
    assert.equal(seen.lostAt, undefined)
  })
})
