/**
 * The `remote_user` keyword on a task and a block (a template too), against Debian's
 * ansible-playbook on a real host: the task logs in as that user; the play's keyword is the
 * default a task's overrides. The same users seen by both tools (both read only: one host).
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const SITE = `- hosts: all
  gather_facts: false
  tasks:
    - { command: whoami, register: w0, changed_when: false }
    - { command: whoami, remote_user: deploy, register: w1, changed_when: false }
    - block:
        - { command: whoami, register: w2, changed_when: false }
      remote_user: "{{ 'deploy' }}"
    - name: seen
      debug: { msg: "{{ [w0.stdout, w1.stdout, w2.stdout] }}" }

- hosts: all
  gather_facts: false
  remote_user: deploy
  tasks:
    - { command: whoami, register: p0, changed_when: false }
    - { command: whoami, remote_user: root, register: p1, changed_when: false }
    - name: seen in a play as deploy
      debug: { msg: "{{ [p0.stdout, p1.stdout] }}" }
`

describe('remote_user on tasks and blocks on a real host, as ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ru1'])
  let dir: string
  before(() => {
    dir = localPlaybookDir('remote-user', { 'site.yml': SITE })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('each task logs in as its keyword says, the same users as ansible-playbook', async () => {
    // no ansible_user: the keyword decides (a host's ansible_user would win over it, in both tools)
    writeFileSync(join(dir, 'hosts.ini'), `ru1 ansible_host=${bed().host('ru1').address}\n`)
    const { ours, theirs, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini', '--private-key', bed().key], {
      ANSIBLE_HOST_KEY_CHECKING: 'False',
    })
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const seen = (name: string) => [
      doc.results.find((r) => r.task.name === name)?.output,
      ansible.plays.flatMap((p) => p.tasks).find((t) => t.task.name === name)?.hosts.ru1?.msg,
    ]
    assert.deepEqual(seen('seen'), [
      ['root', 'deploy', 'deploy'],
      ['root', 'deploy', 'deploy'],
    ])
    assert.deepEqual(seen('seen in a play as deploy'), [
      ['deploy', 'root'],
      ['deploy', 'root'],
    ])
  })
})
