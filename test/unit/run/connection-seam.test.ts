/**
 * RunOptions.connectionFor (engine/run.ts): a caller's connection in place of ssh or local, built
 * from the host's variables; what the engine bench replays a recorded no-op through (bench/engine.ts).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Connection, ExecResult } from '../../../engine/connection/types.js'
import { run } from '../../../engine/run.js'

describe('RunOptions.connectionFor', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-seam-'))
    // addresses nothing answers on: a real connection would make both hosts unreachable
    writeFileSync(join(dir, 'hosts.ini'), 'a ansible_host=10.231.255.254 ansible_port=1\nb ansible_host=10.231.255.253 ansible_port=1\n')
    writeFileSync(
      join(dir, 'site.yml'),
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hi\n      register: out\n    - debug: { var: out.stdout }\n',
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("runs every host's scripts on the caller's connection, built from the host's variables", async () => {
    const built: Record<string, unknown> = {}
    const scripts: string[] = []
    const fake = (host: string): Connection => ({
      host,
      execCount: 0,
      connectCount: 0,
      async exec(script: string): Promise<ExecResult> {
        scripts.push(script)
        return { rc: 0, stdout: `hi from ${host}\n`, stderr: '' }
      },
      async close() {},
    })
    const summary = await run({
      playbook: join(dir, 'site.yml'),
      inventory: [join(dir, 'hosts.ini')],
      connectionFor: (name, vars) => {
        built[name] = vars.ansible_host
        return fake(name)
      },
    })
    assert.equal(summary.exitCode, 0)
    assert.deepEqual(built, { a: '10.231.255.254', b: '10.231.255.253' })
    assert.equal(scripts.length, 2)
    const shown = summary.results.filter((r) => r.task.action === 'command').map((r) => `${r.host}:${r.status}`)
    assert.deepEqual(shown.sort(), ['a:changed', 'b:changed'])
  })
})
