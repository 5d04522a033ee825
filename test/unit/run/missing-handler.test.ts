/**
 * A notification no handler answers (engine/run/notify.ts): a changed task stops the run there, as
 * ansible-playbook's strategy raises it (error_on_missing_handler, on by default); with the setting
 * off, or from a task that only may change (check mode), the run goes on and the play's end warns.
 * Runs in-process on the local connection (debug, command, a copy into the playbook's scratch dir).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { run } from '../../../engine/run.js'
import type { RunOptions } from '../../../engine/run/options.js'

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      register: r
    - name: notifies
      copy: { content: "{{ r.rc }}", dest: "{{ playbook_dir }}/rc.txt" }
      notify: restart nginx
    - name: after
      debug: { msg: after }
  handlers:
    - name: restart app
      debug: { msg: restarted }
`

describe('a notification no handler answers', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-missing-handler-'))
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  async function play(cfg: string, opts: Partial<RunOptions> = {}) {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'site.yml'), PLAY)
    writeFileSync(join(sub, 'ansible.cfg'), cfg)
    const warnings: string[] = []
    const summary = await run({
      playbook: join(sub, 'site.yml'),
      inventory: [join(dir, 'hosts.ini')],
      reporters: [{ onWarning: (w: string) => warnings.push(w) }],
      ...opts,
    })
    return { summary, warnings }
  }

  it('stops the run at the task that changed, with Ansible words and exit 1', async () => {
    await assert.rejects(play('[defaults]\n'), (e: unknown) => {
      assert.ok(e instanceof AcplayError)
      assert.equal(e.code, 'E_NO_HANDLER')
      assert.equal(e.exitCode, 1)
      assert.match(e.message, /^The requested handler 'restart nginx' was not found in either the main handlers list nor in the listening handlers list$/)
      assert.equal(e.where.task, 'notifies')
      return true
    })
  })

  it('goes on with a warning when error_on_missing_handler is off', async () => {
    const { summary, warnings } = await play('[defaults]\nerror_on_missing_handler = False\n')
    assert.deepEqual(
      summary.results.map((r) => `${r.task.name}:${r.status}`),
      ['command:changed', 'notifies:changed', 'after:ok'],
    )
    assert.ok(
      warnings.some((w) => w.includes("'restart nginx'")),
      warnings.join('\n'),
    )
  })

  it('goes on in check mode where the task only may change (its command did not run)', async () => {
    const { summary } = await play('[defaults]\n', { check: true })
    const notifies = summary.results.find((r) => r.task.name === 'notifies')!
    assert.deepEqual([notifies.status, notifies.mayChange], ['changed', true])
    assert.equal(summary.results.at(-1)!.task.name, 'after')
  })
})
