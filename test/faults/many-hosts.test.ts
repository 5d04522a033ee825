/**
 * 16 hosts x 30 tasks at forks 16: every host converges, a second run changes nothing, and the
 * controller stays in bounded memory (the issue measured 82 MB; the bound here is 200 MB).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { assertNoStackTrace, recapOf, runAcplay, scratch } from './helpers.js'

const HOSTS = Array.from({ length: 16 }, (_, i) => `m${i + 1}`)

/** 30 module tasks: directories, files, lines, commands that change nothing. */
function playbook(): string {
  const tasks: string[] = ['    - file: {path: /srv/many, state: directory, mode: "0755"}']
  for (let i = 1; i <= 10; i++) tasks.push(`    - copy: {dest: /srv/many/f${i}, content: "file ${i} on {{ inventory_hostname }}\\n", mode: "0644"}`)
  for (let i = 1; i <= 10; i++) tasks.push(`    - lineinfile: {path: /srv/many/conf, line: "key${i}=value${i}", create: true}`)
  for (let i = 1; i <= 5; i++) tasks.push(`    - file: {path: /srv/many/d${i}, state: directory, mode: "0750"}`)
  for (let i = 1; i <= 4; i++) tasks.push(`    - command: {cmd: "test -d /srv/many/d${i}"}\n      changed_when: false`)
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.join('\n')}\n`
}

describe('16 hosts x 30 tasks at forks 16', { skip: testbedSkip() }, () => {
  const bed = useTestbed(HOSTS)
  const dir = scratch('faults-many', { 'play.yml': playbook() })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('converges every host in bounded memory, then a no-op run changes nothing', async () => {
    const inv = bed().inventory()
    const first = await runAcplay(['run', join(dir, 'play.yml'), '-i', inv, '-f', '16'], { rss: true })
    assertNoStackTrace(first)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    for (const h of HOSTS) assert.deepEqual(recapOf(first.stdout, h), { ok: 30, changed: 26, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, h)
    const again = await runAcplay(['run', join(dir, 'play.yml'), '-i', inv, '-f', '16'], { rss: true })
    assert.equal(again.code, 0, again.stdout + again.stderr)
    for (const h of HOSTS) assert.equal(recapOf(again.stdout, h)?.changed, 0, h)
    const mb = (kb: number) => Math.round(kb / 1024)
    console.log(`16 x 30 at forks 16: first ${first.ms} ms, ${mb(first.maxRssKb!)} MB; no-op ${again.ms} ms, ${mb(again.maxRssKb!)} MB`)
    assert.ok(first.maxRssKb! < 200 * 1024, `peak RSS ${mb(first.maxRssKb!)} MB`)
    assert.ok(again.maxRssKb! < 200 * 1024, `peak RSS ${mb(again.maxRssKb!)} MB`)
  })
})
