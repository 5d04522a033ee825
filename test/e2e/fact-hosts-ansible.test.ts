/**
 * Which hosts a task's facts go to, against Debian's ansible-playbook (three local "hosts"):
 * run_once gives set_fact's facts (and a module's ansible_facts) to every host of the batch;
 * delegate_facts gives them to the host the task was delegated to, `localhost` (the implicit one,
 * seen in hostvars) included, per loop item. And what a loop registers: `failed` only when an item
 * failed, `skipped` always, a skipped item's skip_reason without its condition.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const INVENTORY = `[web]
h1 ansible_connection=local
h2 ansible_connection=local
[db]
d1 ansible_connection=local
d2 ansible_connection=local
`

const FACTS = `- hosts: web
  gather_facts: false
  tasks:
    - set_fact: { once: "one" }
      run_once: true
    - name: seen once
      debug: { msg: "{{ once | default('none') }}" }

    - set_fact: { given: "to d1" }
      delegate_to: d1
      delegate_facts: true
    - set_fact: { stored: "{{ inventory_hostname }}" }
      delegate_to: localhost
      delegate_facts: "{{ 'yes' }}"
    - set_fact: { kept: "here" }
      delegate_to: d1
    - name: seen delegated
      debug:
        msg:
          given_here: "{{ given | default('none') }}"
          given_d1: "{{ hostvars['d1'].given | default('none') }}"
          stored: "{{ hostvars['localhost'].stored | default('none') }}"
          kept_here: "{{ kept | default('none') }}"
          kept_d1: "{{ hostvars['d1'].kept | default('none') }}"
          hosts: "{{ hostvars | list }}"

    - name: gathered for the db hosts
      setup: { gather_subset: ["!all"], filter: ["ansible_distribution"] }
      delegate_to: "{{ item }}"
      delegate_facts: true
      loop: "{{ groups['db'] }}"
    - name: seen gathered
      debug:
        msg:
          d2: "{{ hostvars['d2'].ansible_distribution | default('none') }}"
          here: "{{ ansible_distribution | default('none') }}"

    - name: gathered once
      setup: { gather_subset: ["!all"], filter: ["ansible_os_family"] }
      run_once: true
    - name: seen gathered once
      debug: { msg: "{{ ansible_os_family | default('none') }}" }

- hosts: d1
  gather_facts: false
  tasks:
    - name: seen in the next play
      debug: { msg: "{{ given }} {{ hostvars['localhost'].stored }}" }
`

const LOOPS = `- hosts: h1
  gather_facts: false
  tasks:
    - { set_fact: { a: "{{ item }}" }, loop: [x], register: r_ok }
    - { fail: { msg: "no {{ item }}" }, loop: [x, y], register: r_failed, ignore_errors: true, when: item == 'x' }
    - { debug: { msg: "{{ item }}" }, loop: [x], register: r_skipped, when: false }
    - { debug: { msg: "{{ item }}" }, loop: [], register: r_empty }
    - { debug: { msg: "x" }, register: r_skip, when: 1 == 2 }
    - name: registered
      debug: { msg: "{{ [r_ok, r_failed, r_skipped, r_empty, r_skip] }}" }
`

describe("a task's facts: run_once and delegate_facts, and what a loop registers, as ansible-playbook (local)", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('fact-hosts', { 'hosts.ini': INVENTORY, 'facts.yml': FACTS, 'loops.yml': LOOPS })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** Each named task's msg on each host, in both tools (acplay's debug output is the msg). */
  async function bothSaw(playbook: string) {
    const { ours, theirs, doc, ansible } = await runBoth(dir, [playbook, '-i', 'hosts.ini'])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    const mine: Record<string, unknown> = {}
    const their: Record<string, unknown> = {}
    for (const r of doc.results) if (r.task.name?.startsWith('seen') || r.task.name === 'registered') mine[`${r.task.name} @${r.host}`] = r.output
    for (const play of ansible.plays)
      for (const t of play.tasks)
        if (t.task.name.startsWith('seen') || t.task.name === 'registered')
          for (const [h, res] of Object.entries(t.hosts)) their[`${t.task.name} @${h}`] = res.msg
    const recap = (JSON.parse(theirs.stdout) as { stats: Record<string, { ok: number; changed: number; skipped: number }> }).stats
    return { mine, their, recap, ours: doc.recap }
  }

  it('run_once and delegate_facts put the facts where Ansible does', async () => {
    const { mine, their, recap, ours } = await bothSaw('facts.yml')
    // h1 and h2 both give localhost `stored` at once: Ansible keeps the value of the result its
    // workers hand in last (h1 or h2, as they race); acplay the last host's in order (h2, below)
    const raced = (saw: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(saw)
          .replace(/"stored":"h[12]"/g, '"stored":"h1|h2"')
          .replace(/"to d1 h[12]"/g, '"to d1 h1|h2"'),
      )
    assert.deepEqual(raced(mine), raced(their))
    assert.deepEqual(mine['seen once @h2'], 'one')
    assert.deepEqual(mine['seen delegated @h1'], {
      given_here: 'none',
      given_d1: 'to d1',
      stored: 'h2',
      kept_here: 'here',
      kept_d1: 'none',
      hosts: ['h1', 'h2', 'd1', 'd2', 'localhost'],
    })
    assert.deepEqual(mine['seen gathered @h1'], { d2: 'Debian', here: 'none' })
    assert.equal(mine['seen gathered once @h2'], 'Debian')
    assert.equal(mine['seen in the next play @d1'], 'to d1 h2')
    for (const r of ours) assert.deepEqual([r.ok, r.changed, r.skipped], [recap[r.host]!.ok, recap[r.host]!.changed, recap[r.host]!.skipped], r.host)
  })

  it('a loop registers failed only when an item failed, skipped always', async () => {
    const { mine, their } = await bothSaw('loops.yml')
    assert.deepEqual(mine, their)
    const [ok, failed, skipped, empty, skip] = mine['registered @h1'] as Record<string, unknown>[]
    assert.deepEqual(Object.keys(ok!).sort(), ['changed', 'msg', 'results', 'skipped'])
    assert.equal(failed!.failed, true)
    assert.equal(skipped!.skipped, true)
    assert.equal(empty!.skipped_reason, 'No items in the list')
    assert.equal(skip!.skip_reason, 'Conditional result was False')
  })
})
