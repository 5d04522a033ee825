/**
 * The play's fact-gathering keywords as templates (gather_subset, gather_timeout, fact_path),
 * against Debian's ansible-playbook (local connection): rendered per host with its variables,
 * as Ansible renders the implicit setup task's arguments. What the gathered facts show must match.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

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

describe('templated gather_subset, gather_timeout and fact_path as ansible-playbook renders them (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('gather', { 'facts.d/team.fact': '{"owner": "ops", "tier": 2}\n', 'site.yml': PLAYBOOK })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same facts seen in both tools', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini'])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    const mine = doc.results.find((r) => r.task.name === 'seen')?.output
    const theirsSeen = ansible.plays[0]!.tasks.find((t) => t.task.name === 'seen')!.hosts.localhost!.msg
    assert.deepEqual(mine, theirsSeen)
    assert.deepEqual(mine, { local: { team: { owner: 'ops', tier: 2 } }, distribution: true, mounts: false })
  })
})
