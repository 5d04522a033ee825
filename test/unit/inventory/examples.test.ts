import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'

// the shipped example inventories, read with the shipped playbook's group_vars as acplay run would
const root = (p: string) => fileURLToPath(new URL(`../../../../${p}`, import.meta.url))
const opts = { playbookDir: root('playbooks') }

test('inventory/single-node.ini: one host in database, scheduler, webserver; LocalExecutor', async () => {
  const inv = await loadInventory([root('inventory/single-node.ini')], opts)
  assert.deepEqual([...inv.hosts.keys()], ['airflow1'])
  for (const g of ['database', 'scheduler', 'webserver', 'airflow']) assert.deepEqual(inv.select(g), ['airflow1'], g)
  assert.deepEqual(inv.select('workers'), [])
  assert.ok(inv.groups.has('proxy'), 'the proxy group exists (empty: no nginx)')
  assert.deepEqual(inv.select('proxy'), [])
  const v = inv.hostVars('airflow1')
  assert.equal(v.airflow_executor, 'LocalExecutor', 'the host var beats group_vars/all.yml and the playbook group_vars')
  assert.deepEqual(v.group_names, ['airflow', 'database', 'scheduler', 'webserver'])
  assert.match(String(v.ansible_host), /^10\.231\./)
  assert.deepEqual(inv.warnings, [])
})

test('inventory/cluster.ini: database, scheduler, webserver, two workers; CeleryExecutor', async () => {
  const inv = await loadInventory([root('inventory/cluster.ini')], opts)
  assert.deepEqual(inv.select('database'), ['db1'])
  assert.deepEqual(inv.select('scheduler'), ['sched1'])
  assert.deepEqual(inv.select('webserver'), ['web1'])
  assert.deepEqual(inv.select('workers'), ['worker1', 'worker2'])
  assert.deepEqual(inv.select('airflow'), ['sched1', 'web1', 'worker1', 'worker2'])
  assert.deepEqual(inv.groups.get('airflow')!.children, ['scheduler', 'webserver', 'workers'])
  assert.ok(inv.groups.has('proxy'), 'the proxy group exists (empty: no nginx)')
  assert.deepEqual(inv.select('proxy'), [])
  for (const h of inv.hosts.keys()) {
    assert.equal(inv.hostVars(h).airflow_executor, 'CeleryExecutor', h)
    assert.match(String(inv.hostVars(h).ansible_host), /^10\.231\.\d+\.\d+$/, h)
  }
  assert.deepEqual(inv.hostVars('worker2').group_names, ['airflow', 'workers'])
})
