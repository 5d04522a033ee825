import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { AcplayError } from '../../../engine/errors.js'
import { loadInventory } from '../../../engine/inventory/index.js'
import { parseSlice, sliceInventory, sliceMembers } from '../../../engine/inventory/slice.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/${p}`, import.meta.url))

test('parseSlice: K/N with 1 <= K <= N; anything else is a bad option (exit 5)', () => {
  assert.deepEqual(parseSlice('2/4'), { index: 2, count: 4 })
  assert.deepEqual(parseSlice(' 1/1 '), { index: 1, count: 1 })
  for (const bad of ['0/4', '5/4', '1/0', '2', '2/4/8', 'a/b', '-1/4', '1.5/4', '']) {
    assert.throws(
      () => parseSlice(bad),
      (e: AcplayError) => e.code === 'E_OPTION' && e.message.includes('--slice'),
      bad,
    )
  }
})

test("AWX's rule: hosts sorted by name, host i in part (i mod N) + 1", () => {
  const names = ['web3', 'db1', 'web1', 'db2', 'web2', 'cache1', 'web10']
  // code point order: cache1 db1 db2 web1 web10 web2 web3
  assert.deepEqual([...sliceMembers(names, { index: 1, count: 3 })], ['cache1', 'web1', 'web3'])
  assert.deepEqual([...sliceMembers(names, { index: 2, count: 3 })], ['db1', 'web10'])
  assert.deepEqual([...sliceMembers(names, { index: 3, count: 3 })], ['db2', 'web2'])
})

test('the parts cover every host once, differ in size by at most one, and do not depend on the input order', () => {
  const names = Array.from({ length: 1000 }, (_, i) => `host-${(i * 7919) % 1000}`)
  const shuffled = [...names].reverse()
  for (const n of [1, 2, 3, 4, 7, 16]) {
    const parts = Array.from({ length: n }, (_, k) => sliceMembers(names, { index: k + 1, count: n }))
    const all = parts.flatMap((p) => [...p])
    assert.equal(all.length, 1000, `N=${n}: every host once`)
    assert.equal(new Set(all).size, 1000)
    const sizes = parts.map((p) => p.size)
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `N=${n}: sizes ${sizes}`)
    for (let k = 0; k < n; k++) assert.deepEqual(sliceMembers(shuffled, { index: k + 1, count: n }), parts[k], 'same part whatever the order')
  }
})

test('sorting is by code point, not locale (every CI runner splits the same way)', () => {
  const names = ['b', 'B', 'a', 'A', 'é', '_x', '10', '9']
  // code points: 10 9 A B _x a b é
  assert.deepEqual([...sliceMembers(names, { index: 1, count: 2 })], ['10', 'A', '_x', 'b'])
  assert.deepEqual([...sliceMembers(names, { index: 2, count: 2 })], ['9', 'B', 'a', 'é'])
})

test('a sliced inventory restricts every selection (after --limit) and keeps groups and hostvars whole', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  const all = inv.select('all')
  const parts = [1, 2, 3].map((k) => sliceInventory(inv, { index: k, count: 3 }))
  const selected = parts.map((p) => p.select('all'))
  assert.deepEqual(selected.flat().sort(), [...all].sort(), 'the parts add up to the inventory')
  for (const [k, p] of parts.entries()) {
    const members = sliceMembers(inv.hosts.keys(), { index: k + 1, count: 3 })
    assert.deepEqual(
      p.select('all'),
      all.filter((h) => members.has(h)),
      'in the inventory order',
    )
    assert.deepEqual(
      p.select('db', 'db-a,db-b,db-c'),
      ['db-a', 'db-b', 'db-c'].filter((h) => members.has(h)),
      'limit first, then the part',
    )
    assert.deepEqual(p.groupHosts('web'), inv.groupHosts('web'), 'groups stay whole')
    assert.deepEqual(p.hostVars('db-a'), inv.hostVars('db-a'), 'hostvars stay whole')
    assert.equal(p.hosts, inv.hosts)
  }
  assert.equal(sliceInventory(inv, { index: 1, count: 1 }), inv, '1/1 is the whole inventory')
  assert.equal(sliceInventory(inv, undefined), inv)
})

test('the implicit localhost (not in the inventory) runs in part 1 only', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  assert.deepEqual(inv.select('localhost'), ['localhost'])
  assert.deepEqual(sliceInventory(inv, { index: 1, count: 2 }).select('localhost'), ['localhost'])
  assert.deepEqual(sliceInventory(inv, { index: 2, count: 2 }).select('localhost'), [])
})
