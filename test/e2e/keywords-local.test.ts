/**
 * Templated keywords, includes and blocks (issue 15), on two local "hosts": each keyword given as
 * a template is rendered per host and applied; include results, apply, notify on a block, include
 * handlers, async jobs, include_vars dir, import_playbook, vars_prompt.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'

let dir: string
const inv = () => join(dir, 'hosts.ini')

function write(name: string, body: string): string {
  const file = join(dir, name)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, body)
  return file
}

async function runJson(body: string, ...args: string[]): Promise<{ code: number; doc: JsonDocument; stdout: string }> {
  const file = write(`p${Math.random().toString(36).slice(2)}.yml`, body)
  const r = await acplay(['run', file, '-i', inv(), '--json', ...args], { env: { ANSIBLE_GATHERING: 'explicit' } })
  try {
    return { code: r.code, doc: JSON.parse(r.stdout) as JsonDocument, stdout: r.stdout }
  } catch {
    throw new Error(`no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`)
  }
}
const statuses = (doc: JsonDocument, host: string) =>
  doc.results.filter((r) => r.host === host).map((r) => `${r.task.handler ? 'H ' : ''}${r.task.name}=${r.status}${r.ignored ? ' ignored' : ''}`)
const outputOf = (doc: JsonDocument, host: string, task: string) => doc.results.find((r) => r.host === host && r.task.name === task)?.output
const recapOf = (doc: JsonDocument, host: string) => doc.recap.find((r) => r.host === host)

describe('templated keywords, includes and blocks (local connection)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-keywords-'))
    // `far` is never reached over SSH: the tests below run it with the play's connection: local, or delegate it
    writeFileSync(
      inv(),
      `[web]\na ansible_connection=local n=1\nb ansible_connection=local n=2 ansible_host=127.0.0.5\n\n[away]\nfar ansible_host=10.231.255.254 ansible_port=1\n`,
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('renders templated keywords per host: ignore_errors, no_log, environment, run_once, name, throttle, hosts, gather_facts', async () => {
    const { code, doc, stdout } = await runJson(`- hosts: "{{ target }}"
  gather_facts: "{{ gather }}"
  vars: {target: web, gather: false, ign: true, quiet: "{{ n == 1 }}", proxy: {FOO: bar}, once: "yes", lanes: 1}
  tasks:
    - name: fails on b only
      command: "{{ 'true' if n == 1 else 'false' }}"
      ignore_errors: "{{ ign }}"
    - name: "echo on {{ inventory_hostname }}"
      shell: echo "$FOO $BAZ"
      environment: "{{ proxy | combine({'BAZ': inventory_hostname}) }}"
      register: e
      changed_when: false
      throttle: "{{ lanes }}"
    - name: show
      debug: msg="{{ e.stdout }}"
      no_log: "{{ quiet }}"
    - name: once
      debug: msg=once
      run_once: "{{ once }}"
`)
    assert.equal(code, 0, stdout)
    assert.deepEqual(statuses(doc, 'a'), ['fails on b only=changed', 'echo on a=ok', 'show=ok', 'once=ok'])
    assert.deepEqual(statuses(doc, 'b'), ['fails on b only=failed ignored', 'echo on a=ok', 'show=ok'])
    assert.equal(outputOf(doc, 'b', 'show'), 'bar b')
    assert.ok(doc.results.find((r) => r.host === 'a' && r.task.name === 'show')?.hidden, 'no_log rendered true on a')
    // an ignored failure counts ok and (a command ran) changed, as in Ansible
    assert.deepEqual(recapOf(doc, 'b'), { host: 'b', ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 1 })
  })

  it("the play's connection: local and environment apply; delegate_to runs over the delegate's connection, found by name or address", async () => {
    const { code, doc, stdout } = await runJson(`- hosts: far
  connection: local
  environment: {PLAYENV: "{{ inventory_hostname }}"}
  tasks:
    - name: env
      shell: echo "$PLAYENV"
      register: e
    - name: show
      debug: msg="{{ e.stdout }}"
- hosts: far
  tasks:
    - name: delegated
      command: echo delegated
      delegate_to: "{{ groups.web[1] }}"
      register: d
    - name: by address
      command: echo delegated
      delegate_to: 127.0.0.5
    - name: nowhere
      command: echo x
      delegate_to: 10.231.255.253
`)
    // as in Ansible: b by its ansible_host; a name outside the inventory is a host of its own, reached over ssh (nothing answers at this testbed address)
    assert.equal(code, 4, stdout)
    assert.equal(outputOf(doc, 'far', 'show'), 'far')
    assert.equal(doc.results.find((r) => r.task.name === 'delegated')?.status, 'changed')
    assert.equal(doc.results.find((r) => r.task.name === 'by address')?.status, 'changed')
    const nowhere = doc.results.find((r) => r.task.name === 'nowhere')
    assert.equal(nowhere?.status, 'unreachable')
    assert.match(nowhere?.msg ?? '', /10\.231\.255\.253/)
    // the delegates have no recap line of their own
    assert.deepEqual(
      doc.recap.map((r) => r.host),
      ['far'],
    )
  })

  it('a template that renders to a bad value fails the task, naming its file and line; a templated connection is rendered per host and checked', async () => {
    const { doc } = await runJson(`- hosts: a
  tasks:
    - name: bad
      command: "false"
      ignore_errors: "{{ 'maybe' }}"
`)
    const bad = doc.results.find((r) => r.task.name === 'bad')!
    // in Ansible's words (bool-keywords-ansible.test.ts); its unrendered template is truthy, so the failure is ignored
    assert.deepEqual([bad.status, bad.ignored], ['failed', true])
    assert.match(
      bad.msg ?? '',
      /^the field 'ignore_errors' has an invalid value \(\{\{ 'maybe' \}\}\)[^\n]*\n\nThe error appears to be in '[^']*p\w+\.yml': line 3, column 7/,
    )
    // the play's connection as a template, rendered per host: `far` is reached only if it says local
    const conn = write(
      'conn.yml',
      '- hosts: far\n  gather_facts: false\n  connection: "{{ conn }}"\n  vars: { conn: local }\n  tasks:\n    - name: here\n      command: "true"\n',
    )
    const local = await acplay(['run', '--json', conn, '-i', inv()])
    assert.equal(local.code, 0, local.stdout + local.stderr)
    const telnet = await acplay(['run', '--json', conn, '-i', inv(), '-e', 'conn=telnet'])
    const refused = (JSON.parse(telnet.stdout) as JsonDocument).results.find((r) => r.task.name === 'here')!
    assert.equal(refused.status, 'failed')
    assert.match(refused.msg ?? '', /conn\.yml:6:7: 'connection' must be one of ssh, local, smart, got "telnet" \(rendered from a template\)/)
  })

  it('any_errors_fatal stops the play on every host; max_fail_percentage too, once more than that share failed', async () => {
    const fatal = await runJson(`- hosts: web
  any_errors_fatal: "{{ true }}"
  tasks:
    - command: "{{ 'false' if n == 1 else 'true' }}"
    - name: after
      debug: msg=never
`)
    assert.equal(fatal.code, 2)
    assert.deepEqual(
      fatal.doc.results.map((r) => r.task.name),
      ['command', 'command'],
    )
    const share = await runJson(`- hosts: web
  max_fail_percentage: 40
  tasks:
    - command: "{{ 'false' if n == 1 else 'true' }}"
    - name: after
      debug: msg=never
- hosts: web
  max_fail_percentage: 50
  tasks:
    - name: second play
      command: "{{ 'false' if n == 1 else 'true' }}"
`)
    assert.deepEqual(
      share.doc.results.filter((r) => r.task.name === 'after'),
      [],
    )
    assert.deepEqual(
      share.doc.results.filter((r) => r.task.name === 'second play'),
      [],
      'a failed host stays failed in later plays (Ansible), the other was failed by the percentage',
    )
  })

  it('include_tasks: included counts ok, a when-skipped include is skipped, a missing file fails that host only; apply and notify on a block', async () => {
    write('inc/app.yml', '- name: applied\n  shell: echo "$WHO"\n  register: who\n  changed_when: true\n')
    write('inc/handler.yml', '- name: from the include handler\n  debug: msg=handled\n')
    const { code, doc } = await runJson(`- hosts: web
  handlers:
    - name: plain
      debug: msg=plain
      listen: topic
    - name: included handler
      include_tasks: inc/handler.yml
      listen: topic2
  tasks:
    - include_tasks:
        file: inc/app.yml
        apply:
          environment: {WHO: applied}
          notify: topic
    - name: skipped include
      include_tasks: inc/app.yml
      when: false
    - name: maybe missing
      include_tasks: "{{ 'inc/missing.yml' if n == 2 else 'inc/app.yml' }}"
    - block:
        - name: in block
          command: "true"
      notify: topic2
    - meta: flush_handlers
    - name: end on a
      meta: end_host
      when: inventory_hostname == 'a'
    - name: never on a
      debug: msg=x
`)
    assert.equal(code, 2)
    assert.deepEqual(statuses(doc, 'a'), [
      'include_tasks=ok',
      'applied=changed',
      'skipped include=skipped',
      'maybe missing=ok',
      'applied=changed',
      'in block=changed',
      'H plain=ok',
      'included handler=ok',
      'from the include handler=ok',
    ])
    assert.deepEqual(statuses(doc, 'b'), ['include_tasks=ok', 'applied=changed', 'skipped include=skipped', 'maybe missing=failed'])
    const missing = doc.results.find((r) => r.host === 'b' && r.task.name === 'maybe missing')!
    assert.match(missing.msg ?? '', /p\w+\.yml:18:7: include_tasks: could not find or access 'inc\/missing\.yml'/)
    assert.equal((doc.results.find((r) => r.host === 'a' && r.task.name === 'applied') as { changes: { summary: string }[] }).changes.length, 1)
  })

  it('async: poll > 0 waits (and fails past async seconds), poll 0 returns a job async_status reads and cleans up', async () => {
    const { doc } = await runJson(`- hosts: a
  tasks:
    - name: waited
      shell: sleep 1; echo waited
      async: 10
      poll: 1
      register: w
    - name: too long
      command: sleep 30
      async: 2
      poll: 1
      ignore_errors: true
    - name: started
      shell: sleep 1; echo later
      async: 20
      poll: 0
      register: job
    - name: status
      async_status: {jid: "{{ job.ansible_job_id }}"}
      register: st
      until: st.finished
      retries: 20
      delay: 1
    - name: cleanup
      async_status: {jid: "{{ job.ansible_job_id }}", mode: cleanup}
    - name: show
      debug: msg="{{ [w.stdout, w.finished, job.started, job.finished, st.stdout, st.rc] }}"
`)
    assert.deepEqual(statuses(doc, 'a'), ['waited=changed', 'too long=failed ignored', 'started=changed', 'status=changed', 'cleanup=ok', 'show=ok'])
    assert.deepEqual(outputOf(doc, 'a', 'show'), ['waited', 1, 1, 0, 'later', 0])
    assert.match(doc.results.find((r) => r.task.name === 'too long')!.msg ?? '', /async task did not complete within the requested time - 2s/)
  })

  it('include_vars dir with files_matching, ignore_files, depth, name; import_playbook nested, with vars and when', async () => {
    write('vars/01.yml', 'a: 1\nb: {x: 1}\n')
    write('vars/02.yaml', 'b: {y: 2}\n')
    write('vars/notes.txt', 'not vars\n')
    write('vars/skip.yml', 'a: 99\n')
    write('vars/sub/03.yml', 'c: 3\n')
    write('vars/sub/deep/04.yml', 'd: 4\n')
    write('books/child.yml', '- hosts: a\n  tasks:\n    - name: child\n      debug: msg="child {{ who }}"\n- import_playbook: grand.yml\n')
    write('books/grand.yml', '- hosts: a\n  tasks:\n    - name: grand\n      debug: msg="grand {{ who }}"\n')
    const { code, doc } = await runJson(`- hosts: a
  tasks:
    - include_vars: {dir: vars, depth: 2, ignore_files: [skip.yml], ignore_unknown_extensions: true}
    - name: all
      debug: msg="{{ [a, b, c, d | default('none')] }}"
    - include_vars: {dir: vars, files_matching: "^0[13]", name: picked, ignore_unknown_extensions: true}
    - name: picked
      debug: msg="{{ picked }}"
- import_playbook: books/child.yml
  vars: {who: me}
- import_playbook: books/child.yml
  when: false
`)
    assert.equal(code, 0)
    assert.deepEqual(outputOf(doc, 'a', 'all'), [1, { y: 2 }, 3, 'none'])
    assert.deepEqual(outputOf(doc, 'a', 'picked'), { a: 1, b: { x: 1 }, c: 3 })
    assert.deepEqual(statuses(doc, 'a').slice(-4), ['child=ok', 'grand=ok', 'child=skipped', 'grand=skipped'])
    assert.equal(outputOf(doc, 'a', 'grand'), 'grand me')
  })

  it('vars_prompt: -e gives the value, else the default; private values are masked; no terminal and no value is an error at the entry', async () => {
    const body = `- hosts: a
  vars_prompt:
    - name: pw
      prompt: Password
      default: hunter2
    - name: user
      private: false
      prompt: User
  tasks:
    - name: show
      debug: msg="{{ user }} {{ pw }}"
`
    const r = await runJson(body, '-e', 'user=ann')
    assert.equal(outputOf(r.doc, 'a', 'show'), 'ann ********')
    const missing = await acplay(['run', write('prompt.yml', body), '-i', inv()], { input: '' })
    assert.equal(missing.code, 4)
    assert.match(missing.stderr + missing.stdout, /prompt\.yml:6:7: vars_prompt 'user' needs a value: there is no terminal to ask on/)
  })
})
