/**
 * A play's `environment` naming the facts (`PATH: "/opt/bin:{{ ansible_env.PATH }}"`, as
 * geerlingguy's roles' molecule plays write it), against Debian's ansible-playbook (local
 * connection): Ansible templates each value alone and leaves out one whose undefined variable is
 * `ansible_env`, so Gathering Facts runs (acplay failed it: 'ansible_env' is undefined) and the
 * tasks after it get the value; without facts the name is left out of every task's environment.
 * Any other undefined variable fails the task in both.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  environment:
    FROM_FACTS: "{{ ansible_env.HOME }}"
    MARK: plain
  tasks:
    - shell: 'echo "\${FROM_FACTS-unset} $MARK"'
      register: r
    - name: seen without facts
      debug: msg={{ r.stdout }}
    - name: another undefined variable
      command: 'true'
      environment:
        OTHER: "{{ nowhere }}"
      ignore_errors: true

- hosts: all
  environment:
    PATH: "/opt/acplay-bin:{{ ansible_env.PATH }}"
    MARK: marked
  tasks:
    - shell: 'echo "$MARK \${PATH%%:*}"'
      register: r
    - name: seen with facts
      debug: msg={{ r.stdout }}
`

describe('environment naming ansible_env, as in ansible-playbook (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('environment-facts', { 'site.yml': PLAYBOOK })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('facts are gathered, later tasks get the value; without facts the name is left out; another undefined variable fails', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, theirs.code, ours.stdout + ours.stderr)
    const their = ansible.plays.flatMap((p) =>
      p.tasks.map((t) => {
        const h = t.hosts.localhost as { failed?: boolean; msg?: unknown }
        return [t.task.name || '', h.failed ? 'failed' : 'ok', t.task.name.startsWith('seen') ? h.msg : /'nowhere' is undefined/.test(String(h.msg))]
      }),
    )
    const mine = doc.results.map((r) => [
      r.task.name ?? '',
      r.status === 'failed' ? 'failed' : 'ok',
      r.task.name?.startsWith('seen') ? r.output : /'nowhere' is undefined/.test(r.msg ?? ''),
    ])
    assert.deepEqual(
      mine.filter((m) => m[0] !== ''),
      their.filter((t) => t[0] !== ''),
    )
    assert.deepEqual(
      mine.filter((m) => String(m[0]).startsWith('seen') || m[0] === 'another undefined variable'),
      [
        ['seen without facts', 'ok', 'unset plain'],
        ['another undefined variable', 'failed', true],
        ['seen with facts', 'ok', 'marked /opt/acplay-bin'],
      ],
    )
  })
})
