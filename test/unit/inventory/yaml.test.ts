import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/${p}`, import.meta.url))

test('YAML: all.hosts, nested children, vars, ranges, top-level groups besides all', async () => {
  const inv = await loadInventory([fx('basic.yml')])
  assert.deepEqual(
    [...inv.hosts.keys()],
    ['loose1', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c', 'solo'],
  )
  // a host only under all.hosts lands in ungrouped, as in Ansible
  assert.deepEqual(inv.groupHosts('ungrouped'), ['loose1'])
  assert.deepEqual(inv.groups.get('web')!.parents, ['all', 'app'])
  assert.equal(inv.groups.get('web')!.depth, 2)
  assert.deepEqual(inv.groups.get('all')!.children, ['ungrouped', 'web', 'db', 'app', 'other'])
  assert.deepEqual(inv.select('other'), ['solo'])
  const v = inv.hostVars('db-b')
  assert.equal(v.ansible_user, 'postgres')
  assert.equal(v.app_env, 'production')
  assert.equal(v.enabled, true, 'YAML 1.1: yes is a boolean')
  assert.equal(v.ntp_server, 'ntp.example.com')
  assert.deepEqual(v.group_names, ['app', 'db'])
  assert.equal(inv.hostVars('web03.example.com').http_port, 8080)
  assert.equal(inv.hostVars('loose1').ansible_host, '192.0.2.10')
})

test('YAML: unexpected keys are warnings with file:line, as Ansible skips them', async () => {
  const inv = await loadInventory([fx('basic.yml')])
  assert.deepEqual(inv.warnings, [`${fx('basic.yml')}:26: skipping unexpected key 'colour' in group 'other': only hosts, children and vars are valid`])
})

test('JSON inventories use the YAML format', async () => {
  const inv = await loadInventory([fx('basic.json')])
  assert.deepEqual(inv.select('json_group'), ['j1', 'j2'])
  assert.equal(inv.hostVars('j1').ansible_port, 2200)
})
