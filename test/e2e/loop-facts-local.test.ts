/**
 * Facts set inside a loop, against Debian's ansible-playbook (local connection): each item sees
 * what the items before it set (Ansible's TaskExecutor updates the loop's variables with every
 * item's set_fact / include_vars facts), and set_fact's names are templates. The shapes are the
 * dev-sec hardening roles': users collected with `x: "{{ x | default([]) + [item] }}"` under a
 * `when`, OS variables set from a dict by `"{{ item.key }}": "{{ item.value }}"`.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    uids: { root: 0, daemon: 1, bin: 2, deploy: 1000, nobody: 65534 }
    os_vars: { sshd_path: /usr/sbin/sshd, ssh_owner: root, preset: from-os-vars }
    preset: from-play
  tasks:
    - name: system users, collected item by item
      set_fact:
        system_users: "{{ system_users | default([]) + [item] }}"
      loop: "{{ uids.keys() | list }}"
      when: uids[item] > 0 and uids[item] < 1000
    - name: OS variables under their own names, unless set
      set_fact:
        "{{ item.key }}": "{{ item.value }}"
        os_seen: "{{ os_seen | default([]) + [item.key] }}"
      when: not lookup('varnames', '^' + item.key + '$')
      with_dict: "{{ os_vars }}"
    - name: what the loops left
      debug:
        msg: "{{ {'system_users': system_users, 'sshd_path': sshd_path, 'ssh_owner': ssh_owner, 'preset': preset, 'os_seen': os_seen} }}"
`

describe('facts set in a loop, as ansible-playbook sets them (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('loop-facts', { 'site.yml': PLAYBOOK })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('each item sees the facts of the items before it; the names are templated', async () => {
    const seen = sameOutputs(await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]), 'what the loops left')
    // the values themselves, so both tools changing alike is still caught
    assert.deepEqual(seen['what the loops left'], {
      system_users: ['daemon', 'bin'],
      sshd_path: '/usr/sbin/sshd',
      ssh_owner: 'root',
      preset: 'from-play',
      os_seen: ['sshd_path', 'ssh_owner'],
    })
  })
})
