import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/${p}`, import.meta.url))

test('a directory source reads every inventory file in sorted order, recursively, skipping .ini/.md/.retry/hidden and vars dirs (as Ansible)', async () => {
  const inv = await loadInventory([fx('dir-source')])
  assert.deepEqual([...inv.hosts.keys()], ['w1', 'd1', 'x1'])
  assert.deepEqual([...inv.groups.keys()], ['all', 'ungrouped', 'web', 'db', 'extra'])
  // group_vars/ and host_vars/ inside the directory belong to it
  assert.equal(inv.hostVars('d1').from_dir, true)
  assert.equal(inv.hostVars('w1').host_file, 'w1')
  assert.equal(inv.hostVars('w1').inventory_file, fx('dir-source/10-web'))
})

test("a comma-separated host list: -i 'h1,h2:2222,'", async () => {
  const inv = await loadInventory(['h1,h2:2222,'])
  assert.deepEqual([...inv.hosts.keys()], ['h1', 'h2'])
  assert.deepEqual(inv.groupHosts('ungrouped'), ['h1', 'h2'])
  assert.equal(inv.hostVars('h2').ansible_port, 2222)
  assert.deepEqual(await loadInventory(['single,']).then((i) => i.select('all')), ['single'])
})

test('several sources merge: hosts in order, later vars win', async () => {
  const inv = await loadInventory([fx('basic.ini'), fx('basic.yml'), 'extra1,'])
  assert.equal(inv.hosts.size, 14)
  assert.deepEqual([...inv.hosts.keys()].slice(-2), ['solo', 'extra1'])
  assert.equal(inv.hostVars('loose1').ansible_host, '192.0.2.10')
  // enabled: True (INI [app:vars]) then yes (YAML): same value, from the later source
  assert.equal(inv.groups.get('app')!.vars.enabled, true)
  // loose1 is in db (INI) and all.hosts (YAML): not ungrouped
  assert.deepEqual(inv.groupHosts('ungrouped'), ['loose2', 'extra1'])
})

test('a missing source is a warning, as in Ansible, that suggests the host-list form', async () => {
  const inv = await loadInventory(['nosuchhost'])
  assert.deepEqual(inv.warnings, [
    "unable to read inventory source nosuchhost: ENOENT (for a single host without an inventory file, add a comma: -i 'host,')",
    'No inventory was parsed, only implicit localhost is available',
  ])
  assert.deepEqual(inv.select('all'), [])
  assert.deepEqual(inv.select('localhost'), ['localhost'])
})

test("Ansible's default source, when absent, is passed over in silence", async () => {
  const inv = await loadInventory(['/etc/ansible/hosts'])
  assert.deepEqual(inv.warnings, ['No inventory was parsed, only implicit localhost is available'])
})

test('no sources: an empty inventory with the implicit localhost', async () => {
  const inv = await loadInventory([])
  assert.deepEqual([...inv.groups.keys()], ['all', 'ungrouped'])
  assert.deepEqual(inv.select('all'), [])
  assert.deepEqual(inv.select('localhost'), ['localhost'])
  const v = inv.hostVars('localhost')
  assert.equal(v.ansible_connection, 'local')
  assert.deepEqual(v.group_names, [])
})
