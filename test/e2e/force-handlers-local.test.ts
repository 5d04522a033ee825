/**
 * force_handlers against Debian's ansible-playbook (local connection, three hosts): hosts notify
 * handlers, then one fails in pre_tasks, one in tasks, one in a handler. Without force_handlers,
 * with the play keyword, with --force-handlers and an explicit meta: flush_handlers, with an
 * include_tasks handler and after meta: end_play, both tools run the same handlers on the same
 * hosts with the same results, the same recap and exit code.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

const play = (keywords: string, flush: string) => `- hosts: web
  gather_facts: false
${keywords}  pre_tasks:
    - debug: { msg: pre }
      changed_when: true
      notify: h-pre
    - fail: { msg: early }
      when: inventory_hostname == 'c'
  tasks:
    - debug: { msg: one }
      changed_when: true
      notify: [h-1, h-2, h-3]
    - fail: { msg: boom }
      when: inventory_hostname == 'b'
${flush}    - debug: { msg: two }
      changed_when: true
      notify: h-4
  post_tasks:
    - debug: { msg: post }
  handlers:
    - name: h-pre
      debug: { msg: pre handler }
    - name: h-1
      debug: { msg: h1 }
    - name: h-2
      fail: { msg: h2 fails }
      when: inventory_hostname == 'a'
    - name: h-3
      debug: { msg: h3 }
    - name: h-4
      debug: { msg: h4 }
`

interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { failed?: boolean; skipped?: boolean; changed?: boolean }> }[] }[]
  stats: Record<string, { ok: number; changed: number; failures: number; skipped: number; unreachable: number; rescued: number; ignored: number }>
}

describe('force_handlers as ansible-playbook runs it (local connection)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-force-handlers-'))
    writeFileSync(join(dir, 'hosts.ini'), '[web]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n')
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
    writeFileSync(join(dir, 'off.yml'), play('', ''))
    writeFileSync(join(dir, 'keyword.yml'), play('  force_handlers: true\n', ''))
    writeFileSync(join(dir, 'flush.yml'), play('', '    - meta: flush_handlers\n'))
    writeFileSync(join(dir, 'end-play.yml'), play('  force_handlers: true\n', '    - meta: end_play\n'))
    // an include as a handler, on a host that failed, and failing inside on another
    writeFileSync(
      join(dir, 'include.yml'),
      play('  force_handlers: true\n', '').replace('    - name: h-1\n      debug: { msg: h1 }\n', '    - name: h-1\n      include_tasks: inc.yml\n'),
    )
    writeFileSync(
      join(dir, 'inc.yml'),
      "- name: h-inc\n  debug: { msg: inc }\n- name: h-inc-fail\n  fail: { msg: inc fails }\n  when: inventory_hostname == 'a'\n",
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** Both tools on `file`: the handlers each ran (`name@host:status`, sorted), the recap, the exit code. */
  async function both(file: string, extra: string[] = []) {
    const args = [join(dir, file), '-i', join(dir, 'hosts.ini'), ...extra]
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', ...args], { cwd: dir, env }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
    ])
    const doc = JSON.parse(ours.stdout) as JsonDocument
    const ansible = JSON.parse(theirs.stdout) as AnsibleJson
    const status = (r: { failed?: boolean; skipped?: boolean; changed?: boolean }) =>
      r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok'
    // by name on both sides: the tasks an include handler runs are handlers' too
    const acplayRan = doc.results.filter((r) => r.task.name.startsWith('h-')).map((r) => `${r.task.name}@${r.host}:${r.status}`)
    const ansibleRan = ansible.plays.flatMap((p) =>
      p.tasks.filter((t) => t.task.name.startsWith('h-')).flatMap((t) => Object.entries(t.hosts).map(([h, r]) => `${t.task.name}@${h}:${status(r)}`)),
    )
    const acplayRecap = Object.fromEntries(doc.recap.map(({ host, ...c }) => [host, c]))
    const ansibleRecap = Object.fromEntries(
      Object.entries(ansible.stats).map(([h, s]) => [
        h,
        { ok: s.ok, changed: s.changed, unreachable: s.unreachable, failed: s.failures, skipped: s.skipped, rescued: s.rescued, ignored: s.ignored },
      ]),
    )
    assert.deepEqual(acplayRan.sort(), ansibleRan.sort(), ours.stderr)
    assert.deepEqual(acplayRecap, ansibleRecap)
    assert.equal(ours.code, theirs.code)
    return acplayRan
  }

  it('without force_handlers a failed host runs none', async () => {
    const ran = await both('off.yml')
    assert.ok(!ran.some((r) => /@c:|h-[1-4]@b:/.test(r)), ran.join(' '))
  })

  it('force_handlers: true on the play: the failed hosts run theirs', async () => {
    const ran = await both('keyword.yml')
    // c failed in pre_tasks: its pre_tasks handler ran, then it was done
    assert.ok(ran.includes('h-pre@c:ok') && ran.includes('h-1@b:ok') && ran.includes('h-3@b:ok') && !ran.includes('h-1@c:ok'), ran.join(' '))
  })

  it('--force-handlers with an explicit meta: flush_handlers', async () => {
    const ran = await both('flush.yml', ['--force-handlers'])
    assert.ok(ran.includes('h-3@b:ok') && !ran.includes('h-3@a:ok'), ran.join(' '))
  })

  it('an include_tasks handler, forced on a failed host', async () => {
    const ran = await both('include.yml')
    assert.ok(ran.includes('h-inc@b:ok') && ran.includes('h-inc-fail@a:failed') && !ran.includes('h-3@a:ok'), ran.join(' '))
  })

  it('after meta: end_play no handler runs, forced or not (those of pre_tasks ran before)', async () => {
    const ran = await both('end-play.yml')
    assert.deepEqual(ran, ['h-pre@a:ok', 'h-pre@b:ok', 'h-pre@c:ok'])
  })
})
