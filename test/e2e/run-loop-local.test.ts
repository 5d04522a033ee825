/** The run loop's Ansible semantics, on two local "hosts": handlers, blocks, loops, register, includes, tags, limits. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'

let dir: string
const inv = () => join(dir, 'hosts.ini')

async function runJson(body: string, ...args: string[]): Promise<{ code: number; doc: JsonDocument; stderr: string }> {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yml`)
  writeFileSync(file, body)
  // the sequences asserted here are the run loop's: gathering = explicit leaves out the Gathering Facts task
  // (facts have their own tests: test/modules/setup.test.ts)
  const r = await acplay(['run', file, '-i', inv(), '--json', ...args], { env: { ANSIBLE_GATHERING: 'explicit' } })
  try {
    return { code: r.code, doc: JSON.parse(r.stdout) as JsonDocument, stderr: r.stderr }
  } catch {
    throw new Error(`no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`)
  }
}
const statuses = (doc: JsonDocument, host: string) =>
  doc.results.filter((r) => r.host === host).map((r) => `${r.task.handler ? 'H ' : ''}${r.task.name}=${r.status}`)
const outputOf = (doc: JsonDocument, host: string, task: string) => doc.results.find((r) => r.host === host && r.task.name === task)?.output

describe('run loop semantics (local connection)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-loop-'))
    writeFileSync(inv(), `[web]\na ansible_connection=local color=red\nb ansible_connection=local color=blue\n`)
    writeFileSync(join(dir, 'inc.yml'), `- name: included\n  debug:\n    msg: "included {{ item }} on {{ inventory_hostname }}"\n`)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('handlers run once, at the end of the play, in definition order, only where notified', async () => {
    const { code, doc } = await runJson(`- hosts: web
  tasks:
    - name: notify on a only
      command: "true"
      when: inventory_hostname == 'a'
      notify: [second, first]
    - name: quiet
      command: "true"
      changed_when: false
      notify: first
  handlers:
    - name: first
      debug: msg=first
    - name: second
      debug: msg=second
`)
    assert.equal(code, 0)
    assert.deepEqual(statuses(doc, 'a'), ['notify on a only=changed', 'quiet=ok', 'H first=ok', 'H second=ok'])
    assert.deepEqual(statuses(doc, 'b'), ['notify on a only=skipped', 'quiet=ok'])
  })

  it('a listen topic reaches every handler that listens to it, each once', async () => {
    const { doc } = await runJson(`- hosts: a
  tasks:
    - name: change
      command: "true"
      notify: [restart all, one]
  handlers:
    - {name: one, debug: {msg: one}, listen: restart all}
    - {name: two, debug: {msg: two}, listen: restart all}
`)
    assert.deepEqual(statuses(doc, 'a'), ['change=changed', 'H one=ok', 'H two=ok'])
  })

  it('block / rescue / always: the rescued failure counts as rescued, always runs', async () => {
    const { code, doc } = await runJson(`- hosts: a
  tasks:
    - block:
        - name: breaks
          fail: msg=broken
        - name: never reached
          debug: msg=no
      rescue:
        - name: rescue
          debug: msg="rescued {{ ansible_failed_task.name }} - {{ ansible_failed_result.msg }}"
      always:
        - name: always
          debug: msg=always
    - name: after the block
      debug: msg=after
`)
    assert.equal(code, 0)
    assert.deepEqual(statuses(doc, 'a'), ['breaks=failed', 'rescue=ok', 'always=ok', 'after the block=ok'])
    // Ansible's ansible_failed_task / ansible_failed_result in the rescue
    assert.equal(outputOf(doc, 'a', 'rescue'), 'rescued breaks - broken')
    assert.deepEqual(
      doc.recap.map((r) => [r.host, r.ok, r.failed, r.rescued]),
      [['a', 3, 0, 1]],
    )
  })

  it('loops with when per item, labels, register of results, changed_when and failed_when', async () => {
    const { code, doc } = await runJson(`- hosts: a
  tasks:
    - name: loop
      shell: "echo {{ item.n }}"
      loop: [{n: 1}, {n: 2}, {n: 3}]
      loop_control: {label: "n={{ item.n }}"}
      when: item.n != 2
      register: out
    - name: show
      debug:
        msg: "{{ out.results | selectattr('stdout', 'defined') | map(attribute='stdout') | list }}
          {{ out.results | selectattr('skipped', 'defined') | list | length }}"
    - name: never changed
      command: "echo hi"
      changed_when: false
    - name: fails on output
      command: "echo bad"
      register: r
      failed_when: "'bad' in r.stdout"
      ignore_errors: true
`)
    assert.equal(code, 0)
    assert.equal(outputOf(doc, 'a', 'show'), "['1', '3'] 1")
    assert.deepEqual(statuses(doc, 'a'), ['loop=changed', 'show=ok', 'never changed=ok', 'fails on output=failed'])
    assert.equal(doc.recap[0]!.ignored, 1)
  })

  it('variables: set_fact beats play vars, extra vars beat everything, hostvars and groups work', async () => {
    const { doc } = await runJson(
      `- hosts: web
  vars: {level: play}
  tasks:
    - set_fact: {level: fact, mine: "{{ color }}"}
      when: inventory_hostname == 'a'
    - name: show
      debug:
        msg: "{{ level }} {{ x }} {{ hostvars['b']['color'] }} {{ groups['web'] | join(',') }}"
`,
      '-e',
      'x=extra',
    )
    assert.equal(outputOf(doc, 'a', 'show'), 'fact extra blue a,b')
    assert.equal(outputOf(doc, 'b', 'show'), 'play extra blue a,b')
  })

  it("vars_files per host: a name from the host's variables, the first file found of a list, the play's vars/ first; none found is an error", async () => {
    mkdirSync(join(dir, 'vars'), { recursive: true })
    writeFileSync(join(dir, 'vars', 'red.yml'), 'shade: crimson\n')
    writeFileSync(join(dir, 'blue.yml'), 'shade: navy\n')
    writeFileSync(join(dir, 'vars', 'fallback.yml'), 'size: default\n')
    const { doc } = await runJson(
      `- hosts: web
  vars_files:
    - "{{ color }}.yml"
    - ["size-{{ color }}.yml", fallback.yml]
  tasks:
    - name: show
      debug: {msg: "{{ shade }} {{ size }}"}
`,
    )
    assert.equal(outputOf(doc, 'a', 'show'), 'crimson default')
    assert.equal(outputOf(doc, 'b', 'show'), 'navy default')
    const missing = await runJson(`- hosts: web\n  vars_files: [["nope-{{ color }}.yml", nope.yml]]\n  tasks: [{name: show, debug: {msg: x}}]\n`)
    assert.equal(missing.code, 2)
    const failure = missing.doc.results.find((r) => r.host === 'a')
    assert.match(failure?.msg ?? '', /vars_files: none of 'nope-red\.yml', 'nope\.yml' was found \(searched: .*\/vars\/nope-red\.yml/)
  })

  it('include_tasks with a loop, environment for shell, run_once and delegate_to localhost', async () => {
    const { code, doc } = await runJson(`- hosts: web
  tasks:
    - include_tasks: inc.yml
      loop: [x, y]
    - name: env
      shell: echo "$GREETING"
      environment: {GREETING: "hi {{ color }}"}
      register: e
    - name: show env
      debug: {msg: "{{ e.stdout }}"}
    - name: once
      debug: {msg: "once"}
      run_once: true
    - name: delegated
      command: hostname
      delegate_to: localhost
      changed_when: false
`)
    assert.equal(code, 0)
    assert.equal(doc.results.filter((r) => r.task.name === 'included').length, 4)
    assert.equal(outputOf(doc, 'b', 'show env'), 'hi blue')
    assert.equal(doc.results.filter((r) => r.task.name === 'once').length, 1)
  })

  it('tags, --skip-tags, --limit and --start-at-task select tasks and hosts', async () => {
    const body = `- hosts: web
  tasks:
    - {name: one, debug: {msg: 1}, tags: [first]}
    - {name: two, debug: {msg: 2}, tags: [second]}
    - {name: three, debug: {msg: 3}, tags: [always]}
    - {name: four, debug: {msg: 4}, tags: [never, debug]}
`
    const tagged = await runJson(body, '--tags', 'second')
    assert.deepEqual(statuses(tagged.doc, 'a'), ['two=ok', 'three=ok'])
    const skipped = await runJson(body, '--skip-tags', 'first,always', '--limit', 'b')
    assert.deepEqual(statuses(skipped.doc, 'b'), ['two=ok'])
    assert.deepEqual(statuses(skipped.doc, 'a'), [])
    const started = await runJson(body, '--start-at-task', 'two', '-t', 'all,debug')
    assert.deepEqual(statuses(started.doc, 'a'), ['two=ok', 'three=ok', 'four=ok'])
  })

  it('an undefined variable fails the task naming the variable and the task; the other host goes on', async () => {
    const { code, doc } = await runJson(`- hosts: web
  tasks:
    - name: uses a missing var
      debug: {msg: "{{ nowhere_defined }}"}
      when: inventory_hostname == 'a'
    - name: next
      debug: {msg: next}
`)
    assert.equal(code, 2)
    const failed = doc.results.find((r) => r.status === 'failed')!
    assert.match(failed.msg ?? '', /'nowhere_defined' is undefined/)
    assert.match(failed.msg ?? '', /uses a missing var/)
    assert.deepEqual(statuses(doc, 'b'), ['uses a missing var=skipped', 'next=ok'])
    assert.deepEqual(statuses(doc, 'a'), ['uses a missing var=failed'])
  })

  it('until/retries/delay retries a task until its condition holds; strategy free runs hosts at their own pace', async () => {
    const counter = join(dir, 'counter')
    const { code, doc } = await runJson(`- hosts: a
  tasks:
    - name: third time lucky
      shell: echo x >> ${counter}; wc -l < ${counter}
      register: r
      until: r.stdout | int >= 3
      retries: 5
      delay: 0
    - debug: {msg: "{{ r.attempts }}"}
      name: attempts
- hosts: web
  strategy: free
  tasks:
    - {name: f1, debug: {msg: 1}}
    - {name: f2, debug: {msg: 2}}
    - {name: f3, debug: {msg: 3}, run_once: true}
`)
    assert.equal(code, 0)
    assert.ok(
      doc.warnings.some((w) => w.startsWith('Using run_once with the free strategy is not currently supported.')),
      "Ansible's free strategy warns that run_once runs on every host",
    )
    assert.equal(outputOf(doc, 'a', 'attempts'), '3', 'one node is text, as in Ansible 2.14')
    assert.deepEqual(
      doc.results
        .filter((r) => r.task.name.startsWith('f'))
        .map((r) => `${r.host}:${r.task.name}`)
        .sort(),
      ['a:f1', 'a:f2', 'a:f3', 'b:f1', 'b:f2', 'b:f3'],
    )
  })

  it('serial runs hosts in batches; a host pattern matching nothing warns', async () => {
    const { doc } = await runJson(`- hosts: web
  serial: 1
  tasks:
    - {name: t1, debug: {msg: 1}}
    - {name: t2, debug: {msg: 2}}
- hosts: nothing_here
  tasks:
    - debug: msg=x
`)
    assert.deepEqual(
      doc.results.map((r) => `${r.host}:${r.task.name}`),
      ['a:t1', 'a:t2', 'b:t1', 'b:t2'],
    )
    assert.ok(doc.warnings.some((w) => w.includes('nothing_here')))
  })

  it('serial from a template; meta end_play obeys when (the rollout guard of site.yml); ansible_play_hosts counts later batches', async () => {
    const { code, doc } = await runJson(`- hosts: web
  serial: "{{ batch }}"
  vars: {batch: 1}
  tasks:
    - name: stop when an earlier batch failed
      meta: end_play
      when: ansible_play_hosts_all | difference(ansible_play_hosts) | length > 0
    - {name: hosts, debug: {msg: "{{ ansible_play_hosts }}"}}
    - {name: boom, fail: {msg: boom}, when: "inventory_hostname == 'a'"}
`)
    assert.equal(code, 2)
    assert.deepEqual(
      doc.results.map((r) => `${r.host}:${r.task.name}=${r.status}`),
      ['a:hosts=ok', 'a:boom=failed'],
      'b, the second batch, ended at the guard',
    )
    const ok = await runJson(
      `- hosts: web
  serial: "{{ batch }}"
  tasks:
    - {name: guard, meta: end_play, when: "inventory_hostname == 'nobody'"}
    - {name: t, debug: {msg: "{{ ansible_play_hosts }}"}}
`,
      '-e',
      'batch=50%',
    )
    assert.deepEqual(
      ok.doc.results.map((r) => `${r.host}:${r.task.name}`),
      ['a:t', 'b:t'],
    )
    assert.deepEqual(outputOf(ok.doc, 'a', 't'), ['a', 'b'])
    const file = join(dir, 'bad-serial.yml')
    writeFileSync(file, '- hosts: web\n  serial: "{{ batch }}"\n  tasks: [{debug: {msg: x}}]\n')
    const bad = await acplay(['run', file, '-i', inv(), '-e', 'batch=none'])
    assert.equal(bad.code, 4)
    assert.match(bad.stderr, /bad-serial\.yml:1:\d+: 'serial' must be a positive number or a percentage, got 'none'/)
  })

  it('command in check mode: changed when it would run (with creates, as Ansible; without, Ansible skips it, acplay says it would run)', async () => {
    const made = join(dir, 'made-by-command')
    const { doc } = await runJson(
      `- hosts: a
  tasks:
    - {name: with creates, command: {cmd: "touch ${made}", creates: "${made}"}}
    - {name: plain, command: "touch ${made}"}
`,
      '--check',
    )
    assert.deepEqual(statuses(doc, 'a'), ['with creates=changed', 'plain=changed'])
  })
})
