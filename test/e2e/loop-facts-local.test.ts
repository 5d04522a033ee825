/**
 * Facts set inside a loop, against Debian's ansible-playbook (local connection): each item sees
 * what the items before it set (Ansible's TaskExecutor updates the loop's variables with every
 * item's set_fact / include_vars facts), and set_fact's names are templates. The shapes are the
 * dev-sec hardening roles': users collected with `x: "{{ x | default([]) + [item] }}"` under a
 * `when`, OS variables set from a dict by `"{{ item.key }}": "{{ item.value }}"`.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

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
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-loop-facts-'))
    writeFileSync(join(dir, 'hosts.ini'), 'a ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('each item sees the facts of the items before it; the names are templated', async () => {
    const args = [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', ...args], { cwd: dir, env }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
    ])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    const doc = JSON.parse(ours.stdout) as JsonDocument
    const mine = doc.results.find((r) => r.task.name === 'what the loops left')?.output
    const ansible = JSON.parse(theirs.stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown }> }[] }[] }
    const their = ansible.plays[0]!.tasks.find((t) => t.task.name === 'what the loops left')!.hosts.a!.msg
    assert.deepEqual(mine, their)
    // the values themselves, so both tools changing alike is still caught
    assert.deepEqual(mine, {
      system_users: ['daemon', 'bin'],
      sshd_path: '/usr/sbin/sshd',
      ssh_owner: 'root',
      preset: 'from-play',
      os_seen: ['sshd_path', 'ssh_owner'],
    })
  })
})
