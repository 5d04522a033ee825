/** Where a module acplay lacks is found in the controller's Ansible (Debian's ansible package, as the test set-up installs it). */
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { findInstalledModule, removedModule } from '../../../engine/library/installed-ansible.js'
import { installedModuleSpec } from '../../../engine/library/installed-spec.js'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import type { BlockTask, ModuleTask } from '../../../engine/playbook/types.js'
import { testDir } from '../../helpers/temp-dir.js'

const CORE = '/usr/lib/python3/dist-packages/ansible'
const COLLECTIONS = '/usr/lib/python3/dist-packages/ansible_collections'

test("ansible-core's own, a routed short name, a collection's redirect, a short name of the given collections", () => {
  const dir = testDir('installed-ansible')
  const found = (name: string, collections?: string[]) => {
    const m = findInstalledModule(name, dir, collections)
    return m && { fqcn: m.fqcn, file: m.file, collection: m.collection?.name, action: !!m.actionPlugin, windows: !!m.windows }
  }
  const core = { collection: undefined, action: false, windows: false }
  assert.deepEqual(found('yum_repository'), { fqcn: 'ansible.builtin.yum_repository', file: `${CORE}/modules/yum_repository.py`, ...core })
  assert.deepEqual(found('ansible.legacy.yum_repository'), found('yum_repository'))
  assert.deepEqual(found('ansible.builtin.yum'), { ...found('yum'), action: true })
  const blacklist = {
    fqcn: 'community.general.kernel_blacklist',
    file: `${COLLECTIONS}/community/general/plugins/modules/kernel_blacklist.py`,
    collection: 'community.general',
    action: false,
    windows: false,
  }
  assert.deepEqual(found('kernel_blacklist'), blacklist)
  assert.deepEqual(found('community.general.kernel_blacklist'), blacklist)
  assert.equal(found('community.general.docker_container')?.fqcn, 'community.docker.docker_container')
  // crypto_info is not routed: only the given collections find it
  assert.equal(found('crypto_info'), undefined)
  assert.equal(found('crypto_info', ['community.crypto'])?.fqcn, 'community.crypto.crypto_info')
  assert.equal(found('community.general.shutdown')?.action, true)
  assert.equal(found('win_shell')?.windows, true)
  for (const n of ['nope_nope', 'community.general.nope', 'acme.none.x', 'a.b']) assert.equal(found(n), undefined, n)
})

test("a collection beside the playbook is found first, a short name through a role's collection", () => {
  const dir = testDir('installed-ansible-local')
  const coll = join(dir, 'collections', 'ansible_collections', 'acme', 'site')
  mkdirSync(join(coll, 'plugins', 'modules'), { recursive: true })
  mkdirSync(join(coll, 'roles', 'web', 'tasks'), { recursive: true })
  writeFileSync(join(coll, 'plugins', 'modules', 'conf_line.py'), 'from ansible.module_utils.basic import AnsibleModule\n')
  writeFileSync(join(coll, 'roles', 'web', 'tasks', 'main.yml'), '- conf_line: {path: /x}\n- kernel_blacklist: {name: x}\n')
  assert.equal(findInstalledModule('acme.site.conf_line', dir)?.file, join(coll, 'plugins', 'modules', 'conf_line.py'))
  const playbook = join(dir, 'site.yml')
  const role = loadPlaybookText('- hosts: all\n  roles: [acme.site.web]\n', playbook).plays[0]!.roles[0] as BlockTask
  const tasks = role.block as ModuleTask[]
  assert.deepEqual(
    tasks.map((t) => [t.module, t.action]),
    [
      ['acme.site.conf_line', 'conf_line'],
      ['kernel_blacklist', undefined],
    ],
  )
})

test('the spec a run uses: the module as Ansible runs it, or why it cannot run', () => {
  const dir = testDir('installed-ansible-spec')
  const spec = installedModuleSpec('kernel_blacklist', dir)
  assert.ok('plan' in spec && spec.anyParams && spec.name === 'kernel_blacklist')
  assert.deepEqual(installedModuleSpec('community.general.shutdown', dir), {
    reason:
      "module 'community.general.shutdown' is not supported by acplay (yet): Ansible runs community.general.shutdown through an action plugin on the controller",
  })
  assert.deepEqual(installedModuleSpec('win_shell', dir), {
    reason: "module 'win_shell' is not supported by acplay: ansible.windows.win_shell is a PowerShell module for Windows hosts",
  })
  assert.deepEqual(installedModuleSpec('nope_nope', dir), { reason: "module 'nope_nope' is not supported by acplay (yet)" })
})

test("a task giving an argument acplay's module does not support yet runs Ansible's own module; not one Ansible runs through an action plugin", () => {
  const playbook = join(testDir('installed-ansible-fallback'), 'site.yml')
  const tasks = (yaml: string) => loadPlaybookText(`- hosts: all\n  tasks:\n${yaml}`, playbook).plays[0]!.tasks as ModuleTask[]
  assert.deepEqual(
    tasks('    - apt: { upgrade: dist }\n    - apt: autoremove=yes\n    - apt: { name: x, autoremove: false }\n    - user: { name: x, local: true }\n').map(
      (t) => [t.module, t.action],
    ),
    [
      ['ansible.builtin.apt', 'apt'],
      ['ansible.builtin.apt', 'apt'],
      ['apt', undefined],
      ['ansible.builtin.user', 'user'],
    ],
  )
  assert.throws(() => tasks('    - copy: { src: a, dest: /b, local_follow: false }\n'), /argument 'local_follow' of module copy is not supported yet/)
})

test("a module name Ansible routes to a tombstone is refused at load in Ansible's words", () => {
  const dir = testDir('installed-ansible-removed')
  const removed =
    'community.general.docker_image_facts has been removed. Use community.docker.docker_image_info instead. This feature was removed from community.general in version 2.0.0. Please update your playbooks.'
  assert.equal(removedModule('docker_image_facts', dir), removed)
  assert.equal(removedModule('community.general.docker_image_facts', dir), removed)
  assert.equal(removedModule('kernel_blacklist', dir), undefined)
  assert.throws(
    () => loadPlaybookText('- hosts: all\n  tasks:\n    - docker_image_facts: {name: x}\n', join(dir, 'site.yml')),
    (e: Error & { describe(): string }) => e.describe() === `E_UNKNOWN_MODULE: ${join(dir, 'site.yml')}:3:7: module 'docker_image_facts': ${removed}`,
  )
})
