/**
 * What a no_log task prints, against Debian's ansible-playbook (-c local): the shape of the
 * geerlingguy.postgresql users task (a loop over dicts holding passwords, `no_log` templated from a
 * variable). Ansible's censored result keeps only `changed`: every item is `(item=None)`, a loop ends
 * with a line of its own (`changed: [host]`, `fatal: [host]: FAILED! => {"censored": ...}`), and an
 * ignored failure whose result says changed (a command that ran) counts changed in the recap, a
 * loop's too (an item changed).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const SITE = `- hosts: all
  gather_facts: false
  vars:
    quiet: true
    accounts: [{ name: app, password: s3cret-1 }, { name: ro }]
  tasks:
    - name: users
      command: "echo {{ item.name }}"
      loop: "{{ accounts }}"
      no_log: "{{ quiet }}"
    - name: unchanged
      command: "echo {{ item.name }}"
      loop: "{{ accounts }}"
      changed_when: false
      no_log: "{{ quiet }}"
    - name: some skipped
      command: "echo {{ item.name }}"
      loop: "{{ accounts }}"
      when: item.password is defined
      no_log: true
    - name: all skipped
      debug: { msg: "{{ item.name }}" }
      loop: "{{ accounts }}"
      loop_control: { label: "{{ item.name }}" }
      when: item.priv is defined
      no_log: true
    - name: one
      command: echo one
      no_log: true
    - name: loop fails
      command: "false {{ item.name }}"
      loop: "{{ accounts }}"
      no_log: true
      ignore_errors: true
    - name: fails
      command: "false"
      no_log: true
      ignore_errors: true
    - name: fails unchanged
      fail: { msg: "{{ accounts[0].password }}" }
      no_log: true
      ignore_errors: true
    - name: loop fails, shown
      shell: "exit {{ 1 if item.name == 'app' else 0 }}"
      loop: "{{ accounts }}"
      loop_control: { label: "{{ item.name }}" }
      ignore_errors: true
`

// each result line (the JSON only where it is censored: the rest has timings) and `...ignoring`
const lines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^(ok|changed|fatal|failed|skipping): |^\.\.\.ignoring/.test(l))
    .map((l) => (l.includes('"censored"') ? l : l.replace(/ => \{.*$/, '')))
const recap = (out: string) => out.split('\n').find((l) => l.startsWith('localhost '))

describe('no_log output and counts as ansible-playbook', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('no-log-output', { 'site.yml': SITE })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same result lines, the same recap, no secret', async () => {
    const args = ['site.yml', '-i', 'hosts.ini', '-e', 'ansible_python_interpreter=/usr/bin/python3']
    const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: `${dir}/ansible.cfg` }
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(lines(ours.stdout), lines(theirs.stdout))
    assert.match(recap(theirs.stdout) ?? '', /ok=8 +changed=6 .* skipped=1 .* ignored=4/)
    assert.equal(recap(ours.stdout), recap(theirs.stdout))
    assert.ok(!ours.stdout.includes('s3cret-1'), ours.stdout)
  })
})
