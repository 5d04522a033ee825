/**
 * force_handlers (engine/run/handlers.ts): a failed host still runs the handlers it was notified
 * of at the end of the section, never an unreachable one, never after the play broke; the play's
 * keyword wins over --force-handlers and ansible.cfg / ANSIBLE_FORCE_HANDLERS. Runs in-process on
 * the local connection with debug and fail only (no command reaches a host but the unreachable one's).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { run } from '../../../engine/run.js'
import type { RunOptions } from '../../../engine/run/options.js'

const HANDLERS = `  handlers:
    - name: h1
      debug: { msg: h1 }
    - name: h2
      fail: { msg: h2 fails }
      when: inventory_hostname == 'a'
    - name: h3
      debug: { msg: h3 }
`

/** a and b notify h1..h3; b then fails; `extra` goes before the play's failing task. */
const play = (keywords: string, extra = '') => `- hosts: web
  gather_facts: false
${keywords}  tasks:
    - debug: { msg: one }
      changed_when: true
      notify: [h1, h2, h3]
${extra}    - fail: { msg: boom }
      when: inventory_hostname == 'b'
    - debug: { msg: after }
${HANDLERS}`

describe('force_handlers', () => {
  let dir: string
  const saved = process.env.ANSIBLE_FORCE_HANDLERS
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-force-'))
    writeFileSync(
      join(dir, 'hosts.ini'),
      '[web]\na ansible_connection=local\nb ansible_connection=local\n[gone]\nz ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n',
    )
    delete process.env.ANSIBLE_FORCE_HANDLERS
  })
  after(() => {
    rmSync(dir, { recursive: true, force: true })
    if (saved === undefined) delete process.env.ANSIBLE_FORCE_HANDLERS
    else process.env.ANSIBLE_FORCE_HANDLERS = saved
  })

  /** Runs `text`; which handlers ran where (`name@host:status`), the recap by host, the exit code. */
  async function play_(text: string, opts: Partial<RunOptions> = {}, cfg?: string, files: Record<string, string> = {}) {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'site.yml'), text)
    for (const [name, content] of Object.entries(files)) writeFileSync(join(sub, name), content)
    if (cfg !== undefined) writeFileSync(join(sub, 'ansible.cfg'), cfg)
    const s = await run({ playbook: join(sub, 'site.yml'), inventory: [join(dir, 'hosts.ini')], ...opts })
    const ran = s.results.filter((r) => r.task.handler).map((r) => `${r.task.name}@${r.host}:${r.status}`)
    return { ran, recap: Object.fromEntries(s.recap.map((r) => [r.host, r])), exitCode: s.exitCode }
  }

  it('without it a failed host runs no handler; with it, those it was notified of (the recap still counts it failed)', async () => {
    const off = await play_(play(''))
    assert.deepEqual(off.ran, ['h1@a:ok', 'h2@a:failed'])
    const on = await play_(play('  force_handlers: true\n'))
    // h2 fails on a: a's flush ends there (h3 not run on a), forced or not
    assert.deepEqual(on.ran, ['h1@a:ok', 'h1@b:ok', 'h2@a:failed', 'h2@b:skipped', 'h3@b:ok'])
    assert.deepEqual([on.recap.b!.ok, on.recap.b!.failed, on.recap.b!.skipped, on.exitCode], [3, 1, 1, 2])
  })

  it('an explicit meta: flush_handlers leaves the failed host to the end of the section', async () => {
    const text = play('  force_handlers: true\n').replace('    - debug: { msg: after }\n', '    - meta: flush_handlers\n    - debug: { msg: after }\n')
    const r = await play_(text)
    assert.deepEqual(r.ran, ['h1@a:ok', 'h2@a:failed', 'h1@b:ok', 'h2@b:skipped', 'h3@b:ok'])
  })

  it('the play keyword wins over --force-handlers and ansible.cfg; the flag and the setting turn it on', async () => {
    const forced = ['h1@a:ok', 'h1@b:ok', 'h2@a:failed', 'h2@b:skipped', 'h3@b:ok']
    assert.deepEqual((await play_(play(''), { forceHandlers: true })).ran, forced)
    assert.deepEqual((await play_(play(''), {}, '[defaults]\nforce_handlers = True\n')).ran, forced)
    assert.deepEqual((await play_(play('  force_handlers: "{{ fh }}"\n'), { forceHandlers: true, extraVars: { fh: 'no' } })).ran, ['h1@a:ok', 'h2@a:failed'])
    process.env.ANSIBLE_FORCE_HANDLERS = 'yes'
    try {
      assert.deepEqual((await play_(play(''), {}, '[defaults]\nforce_handlers = False\n')).ran, forced, 'the environment wins over the file')
    } finally {
      delete process.env.ANSIBLE_FORCE_HANDLERS
    }
  })

  it('an include_tasks handler runs on a failed host too; a task failing inside it ends the flush there', async () => {
    const text = `- hosts: web
  gather_facts: false
  force_handlers: true
  tasks:
    - debug: { msg: one }
      changed_when: true
      notify: [h-inc, h-after]
    - fail: { msg: boom }
      when: inventory_hostname == 'b'
  handlers:
    - name: h-inc
      include_tasks: inc.yml
    - name: h-after
      debug: { msg: after }
`
    const inc = "- debug: { msg: inc }\n- fail: { msg: inc fails }\n  when: inventory_hostname == 'a'\n"
    const s = await play_(text, {}, undefined, { 'inc.yml': inc })
    assert.deepEqual(s.ran, ['h-after@b:ok'])
    assert.deepEqual([s.recap.a!.failed, s.recap.a!.ok, s.recap.b!.failed, s.recap.b!.ok], [1, 3, 1, 4])
  })

  it('a broken play (any_errors_fatal) runs no forced handler; after meta: end_play none runs at all', async () => {
    const r = await play_(play('  force_handlers: true\n  any_errors_fatal: true\n'))
    assert.deepEqual(r.ran, [])
    const ended = await play_(play('  force_handlers: true\n').replace('    - debug: { msg: after }\n', '    - meta: end_play\n'))
    assert.deepEqual(ended.ran, [])
  })

  it('an unreachable host runs none', async () => {
    const text = `- hosts: gone
  gather_facts: false
  force_handlers: true
  tasks:
    - debug: { msg: one }
      changed_when: true
      notify: h1
    - command: "true"
${HANDLERS}`
    const r = await play_(text, { timeout: 2 })
    assert.deepEqual(r.ran, [])
    assert.deepEqual([r.recap.z!.unreachable, r.exitCode], [1, 4])
  })
})
