/**
 * Against Debian's ansible-playbook, on the controller (`-c local`): what a task run by Ansible's
 * TaskExecutor sees that the play did not set, and what a meta task shows.
 * - PlayContext.update_vars: a module task, an engine action, a loop item and an include see
 *   ansible_connection, ansible_host and ansible_ssh_host from their `when` on (the sshd role's
 *   `when: ansible_connection != 'chroot'`), and ansible_user / ansible_ssh_user (-u, or the
 *   remote_user keyword) where a user is given, ansible_timeout (-T), ansible_pipelining
 *   (ANSIBLE_PIPELINING), ansible_shell_executable and ansible_module_compression.
 * - a meta task whose `when` is false prints its TASK line and `skipping:` (unnamed: `TASK [meta]`),
 *   and the recap does not count it.
 * - until / changed_when / failed_when see the facts the result set: set_fact's as variables (a
 *   prometheus role's `until: __checksums is search(...)`), a module's injected as variables (and
 *   not at ansible_facts.NAME: 2.14 nests them one level deeper).
 * The same TASK and result lines, debug values and recap from both tools.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const SITE = `- hosts: all
  gather_facts: false
  tasks:
    - meta: end_host
      when: inventory_hostname == 'elsewhere'
    - name: end the play, not
      meta: end_play
      when: false
    - name: flush, not
      meta: flush_handlers
      when: false
    - name: seen connection
      debug:
        msg: "{{ ansible_connection }} {{ ansible_host }} {{ ansible_ssh_host }}"
      when: ansible_connection != 'chroot'
    - name: seen user
      debug:
        msg: "{{ ansible_user }} {{ ansible_ssh_user }} {{ ansible_private_key_file | default('no key') }}"
    - name: seen connection settings
      debug:
        msg: "{{ ansible_timeout }} {{ ansible_ssh_timeout }} {{ ansible_pipelining }} {{ ansible_ssh_pipelining }} {{ ansible_shell_executable }} {{ ansible_module_compression }}"
    - name: seen user of the keyword
      debug:
        msg: "{{ ansible_user }} {{ ansible_ssh_user }}"
      remote_user: by-keyword
    - name: seen in a loop
      debug:
        msg: "{{ item }} {{ ansible_connection }}"
      loop: [1, 2]
      when: ansible_connection == 'local'
    - name: include on its when
      include_tasks: inc.yml
      when: ansible_connection == 'local'
    - name: skipped in a chroot
      command: "true"
      when: ansible_connection == 'chroot'
    - name: set_fact waits on its own fact
      set_fact:
        sums: "{{ ['abc  x-linux-amd64.tar.gz', 'def  y'] }}"
      until: sums is search('linux-amd64')
      retries: 2
      delay: 0
    - name: a module's facts in changed_when
      setup:
        gather_subset: ['!all', '!min', 'env']
      changed_when: ansible_env is defined and ansible_facts.env is defined
    - name: set_fact's fact in failed_when
      set_fact:
        n: 3
      failed_when: n | int != 3
    - name: seen sums
      debug:
        msg: "{{ sums | length }} {{ n }}"
`

const INC = `- name: seen included
  debug:
    msg: included
`

/** The lines both tools print alike: TASK headers, results (ok/skipping/included), debug values, the recap. */
const shown = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^(TASK \[|ok: |skipping: |changed: |fatal: |included: |localhost +:|\s+"msg": )/.test(l))
    .map((l) =>
      l
        .replace(/^(TASK \[[^\]]*\]) \*+$/, '$1')
        .replace(/^included: .*\/inc\.yml/, 'included: inc.yml')
        .trim(),
    )

describe('what the TaskExecutor gives a task, and a skipped meta task, as ansible-playbook', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('task-executor-vars', { 'site.yml': SITE, 'inc.yml': INC, 'hosts.ini': 'localhost\n' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same lines and recap', async () => {
    const args = [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '-c', 'local', '-u', 'by-option', '-T', '17']
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_PIPELINING: 'True' }
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const lines = shown(theirs.stdout)
    assert.ok(lines.includes('TASK [meta]') && lines.includes('"msg": "local localhost localhost"'), lines.join('\n'))
    assert.ok(lines.includes('"msg": "17 17 True True /bin/sh ZIP_DEFLATED"'), lines.join('\n'))
    assert.deepEqual(shown(ours.stdout), lines)
  })
})
