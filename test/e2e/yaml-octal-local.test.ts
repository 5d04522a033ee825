/**
 * A YAML 1.1 octal in a playbook (`mode: 0640`) is the int 416, as PyYAML reads it for Ansible
 * (local connection, both tools): a file mode given it directly takes the int as its bits (0640),
 * one given it through a template with a filter gets the text '416', which is octal 0416 (a
 * credentials role's `mode: "{{ item.mode | default('u+rw,g+r') }}"`); debug prints 416.
 */
import assert from 'node:assert/strict'
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    creds: [{name: through-filter, mode: 0640}, {name: direct}]
    minute: 05
  tasks:
    - name: seen value
      debug: msg="{{ creds[0].mode }}"
    - name: seen through a filter
      debug: msg="{{ creds[0].mode | default('u+rw') }}"
    - name: seen minute
      debug: msg="*/{{ minute }}"
    - file: path={{ out }}/{{ creds[0].name }} state=touch mode="{{ creds[0].mode | default('u+rw') }}"
      when: out is defined
    - file:
        path: "{{ out }}/{{ creds[1].name }}"
        state: touch
        mode: 0640
      when: out is defined
`

describe('a YAML 1.1 octal in a playbook is an int, as in Ansible (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('yaml-octal', { 'site.yml': PLAYBOOK, 'theirs/.keep': '', 'ours/.keep': '' })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('prints 416 and *\\/5', async () => {
    const both = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.deepEqual(sameOutputs(both), { 'seen value': '416', 'seen through a filter': '416', 'seen minute': '*/5' })
  })

  it('a file mode through a filter is octal 0416, a direct one 0640', async () => {
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const args = (tool: string) => [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '-e', `out=${join(dir, tool)}`]
    const [theirs, ours] = await Promise.all([
      capture(['ansible-playbook', ...args('theirs')], { cwd: dir, env }),
      acplay(['run', ...args('ours')], { cwd: dir, env }),
    ])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const modes = (tool: string) => ['through-filter', 'direct'].map((f) => (statSync(join(dir, tool, f)).mode & 0o7777).toString(8))
    assert.deepEqual(modes('theirs'), ['416', '640'])
    assert.deepEqual(modes('ours'), modes('theirs'))
  })
})
