/**
 * The play's fact-gathering keywords as templates (gather_subset, gather_timeout, fact_path),
 * against Debian's ansible-playbook (local connection): rendered per host with its variables,
 * as Ansible renders the implicit setup task's arguments. What the gathered facts show must match.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: true
  gather_subset: "{{ subset }}"
  gather_timeout: "{{ timeout_s }}"
  fact_path: "{{ playbook_dir }}/{{ facts_dir }}"
  vars:
    subset: "!all"
    timeout_s: "20"
    facts_dir: facts.d
  tasks:
    - name: seen
      debug:
        msg:
          local: "{{ ansible_local }}"
          distribution: "{{ 'distribution' in ansible_facts }}"
          mounts: "{{ 'mounts' in ansible_facts }}"
`

interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown }> }[] }[]
}

describe('templated gather_subset, gather_timeout and fact_path as ansible-playbook renders them (local)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-gather-'))
    mkdirSync(join(dir, 'facts.d'))
    writeFileSync(join(dir, 'facts.d/team.fact'), '{"owner": "ops", "tier": 2}\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n')
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same facts seen in both tools', async () => {
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const args = ['site.yml', '-i', 'hosts.ini']
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', ...args], { cwd: dir, env }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
    ])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    const mine = (JSON.parse(ours.stdout) as JsonDocument).results.find((r) => r.task.name === 'seen')?.output
    const theirsSeen = (JSON.parse(theirs.stdout) as AnsibleJson).plays[0]!.tasks.find((t) => t.task.name === 'seen')!.hosts.localhost!.msg
    assert.deepEqual(mine, theirsSeen)
    assert.deepEqual(mine, { local: { team: { owner: 'ops', tier: 2 } }, distribution: true, mounts: false })
  })
})
