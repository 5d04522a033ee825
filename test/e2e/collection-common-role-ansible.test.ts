/**
 * The shape of the prometheus-community collection's roles against Debian's ansible-playbook
 * (local): a role includes the collection's internal `_common` role (include_role + tasks_from +
 * vars) whose tasks are tagged and notify by templates of ansible_parent_role_names and
 * ansible_collection_name (`{{ ansible_parent_role_names | first }} : Restart {{ service }}`,
 * the parent's handler by its FQCN), and whose own handler has a templated name. The same tasks
 * and handlers run, in the same order, with and without --skip-tags of rendered tags. (The
 * included role's own variables are not there for its tags, in either tool.)
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const ROLES = 'collections/ansible_collections/acme/mon/roles'
const SHORT = "{{ ansible_parent_role_names | first | regex_replace(ansible_collection_name ~ '.', '') }}"

const FILES = {
  'ansible.cfg': '[defaults]\nretry_files_enabled = False\ncollections_path = ./collections\n',
  'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles:\n    - acme.mon.svc\n',
  [`${ROLES}/svc/tasks/main.yml`]: `- name: Install
  ansible.builtin.include_role:
    name: acme.mon._common
    tasks_from: install.yml
  vars:
    _common_binaries: [svc, svctool]
`,
  [`${ROLES}/svc/handlers/main.yml`]: '- name: Restart svc\n  ansible.builtin.debug: { msg: svc restarted }\n',
  [`${ROLES}/_common/vars/main.yml`]: `_common_binaries: []
_common_service_name: "{{ __common_parent_role_short_name }}"
__common_parent_role_short_name: "${SHORT}"
`,
  [`${ROLES}/_common/tasks/install.yml`]: `- name: Validate invocation
  ansible.builtin.assert:
    that: ansible_parent_role_names | default([]) | length > 0
    quiet: true
  tags: [always]
- name: Propagate binaries
  ansible.builtin.debug: { msg: "installed {{ _common_binaries | join(' ') }}" }
  changed_when: true
  notify: ["{{ ansible_parent_role_names | first }} : Restart {{ _common_service_name }}"]
  tags:
    - "${SHORT}"
    - install
    - "${SHORT}_install"
- name: Configure
  ansible.builtin.debug: { msg: "configured {{ _common_service_name }}" }
  changed_when: true
  notify: Reload svc
  tags: ["${SHORT}_configure"]
`,
  [`${ROLES}/_common/handlers/main.yml`]: '- name: "Reload {{ _common_service_name }}"\n  ansible.builtin.debug: { msg: reloaded by _common }\n',
}

describe('a collection role through its _common role: templated tags, notify and handler names (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('collection-common', FILES)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const RUNS: [string[], string[]][] = [
    [[], ['installed svc svctool', 'configured svc', 'svc restarted', 'reloaded by _common']],
    [
      ['--skip-tags', 'svc_configure'],
      ['installed svc svctool', 'svc restarted'],
    ],
    [
      ['--skip-tags', 'svc'],
      ['configured svc', 'reloaded by _common'],
    ],
  ]
  for (const [extra, expected] of RUNS)
    it(`the same tasks and handlers run${extra.length ? ` with ${extra.join(' ')}` : ''}`, async () => {
      const { ours, theirs, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini', ...extra])
      assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
      assert.equal(ours.code, 0, ours.stdout + ours.stderr)
      const their = ansible.plays[0]!.tasks.flatMap((t): unknown[] => {
        if (t.task.name.endsWith('Validate invocation')) return []
        const msg = t.hosts.localhost?.msg
        return msg === undefined ? [] : [msg]
      })
      assert.deepEqual(their, expected)
      const mine = doc.results.filter((r) => r.output !== undefined && !r.task.name?.endsWith('Validate invocation')).map((r) => r.output)
      assert.deepEqual(mine, expected)
      assert.doesNotMatch(ours.stderr, /no handler has that name/)
    })
})
