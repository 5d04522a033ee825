import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'
import { testDir } from '../../helpers/temp-dir.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/precedence/${p}`, import.meta.url))
const load = () => loadInventory([fx('inventory/hosts.ini')], { playbookDir: fx('play') })

test("layers for a host follow Ansible's order exactly", async () => {
  const inv = await load()
  // h1 is in alpha (depth 1), parent (depth 1) and child (depth 2)
  assert.deepEqual(inv.hosts.get('h1')!.groups, ['all', 'alpha', 'parent', 'child'])
  assert.deepEqual(
    inv.hostVarLayers('h1').map((l) => l.source),
    [
      'inventory group all',
      'inventory group alpha',
      'inventory group parent',
      'inventory group child',
      fx('inventory/group_vars/all.yml'),
      fx('play/group_vars/all.yml'),
      fx('inventory/group_vars/alpha.yml'),
      fx('inventory/group_vars/parent/10-first.yml'),
      fx('inventory/group_vars/parent/20-second.yaml'),
      fx('inventory/group_vars/parent/sub/30-third.yml'),
      // group_vars/child (no extension) is found first, so child.yml is not read
      fx('inventory/group_vars/child'),
      fx('play/group_vars/child.json'),
      'inventory host h1',
      fx('inventory/host_vars/h1.yml'),
      fx('play/host_vars/h1.yaml'),
      'magic',
    ],
  )
})

test('a variable defined at every level: the playbook host_vars wins', async () => {
  const inv = await load()
  assert.equal(inv.hostVars('h1').v, 'play-host')
  // h2 has no host vars files (its host_vars file is empty): the deepest group's playbook group_vars win
  assert.equal(inv.hostVars('h2').v, 'play-child')
})

test('among groups: deeper wins, then alphabetical; playbook group_vars beat inventory group_vars', async () => {
  const v = await load().then((inv) => inv.hostVars('h1'))
  assert.equal(v.grp, 'play-child')
  assert.equal(v.depth, 'inv-child', 'inventory-file vars of the deepest group')
  assert.equal(v.tie, 'inv-parent', 'alpha and parent have the same depth: parent sorts last')
  assert.equal(v.play_all_over, 'play-all')
  assert.equal(v.dir_order, 'third', 'a group_vars directory merges its files in sorted order, hidden/backup/.txt skipped')
})

test("Ansible's gotcha: any group_vars file, even all.yml, beats a group's vars in the inventory file", async () => {
  const v = await load().then((inv) => inv.hostVars('h1'))
  assert.equal(v.gotcha, 'inv-dir-all')
})

test('without a playbook dir only the inventory-adjacent files apply', async () => {
  const inv = await loadInventory([fx('inventory/hosts.ini')])
  assert.equal(inv.hostVars('h1').v, 'inv-dir-host')
  assert.equal(inv.hostVars('h1').grp, 'inv-dir-child')
  assert.equal(inv.hostVars('h1').play_all_over, 'inv-dir-all')
})

test('ansible_group_priority reorders groups of equal depth', async () => {
  const { writeFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const dir = testDir('inv')
  const file = join(dir, 'hosts')
  await writeFile(file, '[a]\nh\n[b]\nh\n[a:vars]\nx=a\nansible_group_priority=10\n[b:vars]\nx=b\n')
  const inv = await loadInventory([file])
  assert.deepEqual(inv.hosts.get('h')!.groups, ['all', 'b', 'a'])
  assert.equal(inv.hostVars('h').x, 'a')
})
