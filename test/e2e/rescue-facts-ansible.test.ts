/**
 * What a rescue sees of the failure (ansible_failed_task's name and action, ansible_failed_result's
 * msg) against Debian's ansible-playbook (local): a named task, an unnamed one (its name is ''), an
 * action written as an FQCN, a task of a role.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: /bin/false
      rescue:
        - name: seen unnamed
          debug: { msg: "[{{ ansible_failed_task.name }}] {{ ansible_failed_task.action }} {{ ansible_failed_result.msg }}" }
    - block:
        - name: a named one
          ansible.builtin.fail: { msg: boom }
      rescue:
        - name: seen named
          debug: { msg: "[{{ ansible_failed_task.name }}] {{ ansible_failed_task.action }} {{ ansible_failed_result.msg }}" }
    - block:
        - include_role: { name: breaks }
      rescue:
        - name: seen in a role
          debug: { msg: "[{{ ansible_failed_task.name }}] {{ ansible_failed_task.action }} {{ ansible_failed_result.msg }}" }
`

describe('what a rescue sees of the failed task, as ansible-playbook (local)', () => {
  let dir = ''
  before(() => {
    dir = localPlaybookDir('rescue-facts', { 'play.yml': PLAYBOOK, 'roles/breaks/tasks/main.yml': '- name: inside\n  fail: { msg: from the role }\n' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same name (empty when the task has none), action and message', async () => {
    const mine = sameOutputs(await runBoth(dir, ['play.yml', '-i', 'hosts.ini']))
    assert.deepEqual(mine, {
      'seen unnamed': '[] command non-zero return code',
      'seen named': '[a named one] ansible.builtin.fail boom',
      'seen in a role': '[inside] fail from the role',
    })
  })
})
