/**
 * The `port` keyword against Debian's ansible-playbook on real hosts whose sshd listens on 22 and
 * 2222: on a play, a task, a block, a role entry, an import, as a template;
 * the host's ansible_port over it from the inventory, the play's and a task's `vars:` and -e; a
 * delegate's own port, else the keyword, never the delegating host's; a template that renders no
 * int fails the task in Ansible's words. Each task registers the host and the port its ssh session
 * came in on ($SSH_CONNECTION), and both tools must see the same ones, with the same statuses and
 * recap. Both only read: one pair of hosts serves both tools at once.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type BothRuns, localPlaybookDir, runBoth, sameStatusesAndRecap } from '../helpers/local-both.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

/** The host and the port the task's ssh session reached: `pt1:2222`. */
const WHERE = 'echo $(hostname):${SSH_CONNECTION##* }'
// raw: no module to send, so ansible-playbook's tasks take a round trip each (shell's took 2.5 s apiece here)
const at = (reg: string, extra = '') => `    - raw: '${WHERE}'\n      register: ${reg}\n      changed_when: false\n${extra}`

const SITE = `- hosts: pt1
  gather_facts: false
  port: 2222
  roles:
    - { role: where, port: 22 }
  tasks:
${at('play')}
${at('task', '      port: 22\n')}
    - block:
${at('block').replace(/^ {4}/gm, '        ')}
      port: 22
${at('templated', '      port: "{{ p }}"\n      vars: { p: 22 }\n')}
${at('task_var', '      vars: { ansible_port: 22 }\n')}
${at('delegated', '      delegate_to: pt2\n')}
    - import_tasks: imported.yml
      port: 22
    - name: seen in the play with port 2222
      debug: { msg: "{{ [play, task, block, templated, task_var, delegated, imported, role] | map(attribute='stdout') | map('trim') | list }}" }

- hosts: pt1
  gather_facts: false
  vars: { ansible_port: 2222 }
  tasks:
${at('plain')}
${at('keyword', '      port: 22\n')}
${at('delegated', '      delegate_to: pt2\n')}
    - name: seen with the play's ansible_port 2222
      debug: { msg: "{{ [plain, keyword, delegated] | map(attribute='stdout') | map('trim') | list }}" }

- hosts: pt1
  gather_facts: false
  tasks:
    - name: a port template that renders no int
      debug: { msg: never }
      port: "{{ 'abc' }}"
      ignore_errors: true
    - name: one that renders None
      debug: { msg: never }
      port: "{{ none }}"
      ignore_errors: true
`

/** Where the host's own port is set (inventory, -e): the keyword gives way, and a delegate takes its own. */
const OWN = `- hosts: pt1
  gather_facts: false
  port: 2222
  tasks:
${at('plain')}
${at('delegated', '      delegate_to: pt2\n')}

- hosts: pt1
  gather_facts: false
  vars: { ansible_port: 2222 }
  tasks:
${at('by_vars')}
    - name: seen where the host has a port of its own
      debug: { msg: "{{ [plain, delegated, by_vars] | map(attribute='stdout') | map('trim') | list }}" }
`

const FILES = {
  'site.yml': SITE,
  'own.yml': OWN,
  'imported.yml': at('imported').replace(/^ {4}/gm, ''),
  'roles/where/tasks/main.yml': at('role').replace(/^ {4}/gm, ''),
}

describe('the port keyword on real hosts, as ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pt1', 'pt2'])
  let dir: string
  before(async () => {
    dir = localPlaybookDir('port-keyword', FILES)
    await Promise.all(
      ['pt1', 'pt2'].map(async (h) => {
        const r = await bed().exec(h, `printf 'Port 22\\nPort 2222\\n' > /etc/ssh/sshd_config.d/ports.conf && systemctl restart ssh`)
        assert.equal(r.rc, 0, r.stderr)
      }),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /**
   * Both tools with pt1's and pt2's inventory lines ending in `ports` (written as `inventory`), the
   * same statuses and recap; the outputs of a `seen` task, each tool's.
   */
  async function both(
    playbook: string,
    inventory: string,
    ports: [string, string],
    extra: string[] = [],
  ): Promise<{ runs: BothRuns; seen: (name: string) => unknown[] }> {
    const line = (h: string, port: string) => `${h} ansible_host=${bed().host(h).address} ansible_user=root ansible_ssh_private_key_file=${bed().key} ${port}`
    writeFileSync(join(dir, inventory), `${line('pt1', ports[0])}\n${line('pt2', ports[1])}\n`)
    const runs = await runBoth(dir, [playbook, '-i', inventory, ...extra], { ANSIBLE_HOST_KEY_CHECKING: 'False' })
    sameStatusesAndRecap(runs)
    const seen = (name: string) => [
      runs.doc.results.find((r) => r.task.name === name)?.output,
      runs.ansible.plays.flatMap((p) => p.tasks).find((t) => t.task.name === name)?.hosts.pt1?.msg,
    ]
    return { runs, seen }
  }

  it('takes the keyword from the play, task, block, template, role entry and import; the host’s ansible_port wins', async () => {
    const { runs, seen } = await both('site.yml', 'plain.ini', ['', ''])
    assert.equal(runs.ours.code, 0, runs.ours.stdout + runs.ours.stderr)
    const ports = ['pt1:2222', 'pt1:22', 'pt1:22', 'pt1:22', 'pt1:22', 'pt2:2222', 'pt1:22', 'pt1:22']
    assert.deepEqual(seen('seen in the play with port 2222'), [ports, ports])
    // the play's vars win over the keyword, and reach a delegate, as Ansible's delegated vars
    const vars = ['pt1:2222', 'pt1:2222', 'pt2:2222']
    assert.deepEqual(seen("seen with the play's ansible_port 2222"), [vars, vars])
    const bad = runs.doc.results.filter((r) => r.task.name?.startsWith('a port template') || r.task.name?.startsWith('one that renders'))
    assert.deepEqual(
      bad.map((r) => [r.status, r.ignored, r.msg?.split('\n')[0]]),
      [
        [
          'failed',
          true,
          "the field 'port' has an invalid value ({{ 'abc' }}), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'",
        ],
        [
          'failed',
          true,
          "the field 'port' has an invalid value ({{ none }}), and could not be converted to an int.The error was: invalid literal for int() with base 10: ''",
        ],
      ],
    )
    // one connection per port pt1 was reached at (pooled across tasks and plays)
    assert.equal(runs.doc.connections.find((c) => c.host === 'pt1')?.connects, 2)
  })

  it("an inventory's ansible_port (the delegate's its own) and -e ansible_port win over the keyword", async () => {
    // two runs at once: each tool mostly waits on the hosts
    const [own, extra] = await Promise.all([
      both('own.yml', 'own.ini', ['ansible_port=22', 'ansible_port=22']),
      both('own.yml', 'extra.ini', ['', ''], ['-e', 'ansible_port=22']),
    ])
    // the inventory's: under the play's vars, as Ansible's precedence has it
    assert.deepEqual(own.seen('seen where the host has a port of its own'), [
      ['pt1:22', 'pt2:22', 'pt1:2222'],
      ['pt1:22', 'pt2:22', 'pt1:2222'],
    ])
    assert.deepEqual(extra.seen('seen where the host has a port of its own'), [
      ['pt1:22', 'pt2:22', 'pt1:22'],
      ['pt1:22', 'pt2:22', 'pt1:22'],
    ])
  })
})
