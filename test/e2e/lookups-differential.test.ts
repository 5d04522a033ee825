/**
 * Every lookup and with_<lookup> loop of test/fixtures/lookups/cases.yml, run by acplay on the
 * implicit localhost, against what Ansible 2.14 gave for the same playbook (recorded.json, made by
 * scripts/record-lookup-cases.py from the same committed files): values, failures, load errors.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parse } from 'yaml'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, ROOT } from '../helpers/cli.js'

const FIXTURE = join(ROOT, 'test', 'fixtures', 'lookups')
interface Case {
  expr?: string
  task?: Record<string, unknown>
  error?: boolean
  load_error?: boolean
  message?: string
  role?: boolean
}
interface Recorded {
  value?: unknown
  failed?: boolean
  load_error?: boolean
}
const cases = (parse(readFileSync(join(FIXTURE, 'cases.yml'), 'utf8')) as { cases: Case[] }).cases
const recorded = (JSON.parse(readFileSync(join(FIXTURE, 'recorded.json'), 'utf8')) as { cases: Recorded[] }).cases
const ENV = { LK_ENV: 'from-env', ANSIBLE_GATHERING: 'explicit' }

let work: string
let tree: string
let doc: JsonDocument
let stderr: string

const normalize = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v ?? null)
      .split(tree)
      .join('<tree>'),
  )
const describeCase = (c: Case) => c.expr ?? JSON.stringify(c.task)

describe('lookups and with_ loops, as Ansible 2.14 gives them', () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'acplay-lookups-'))
    tree = join(work, 'tree')
    cpSync(join(FIXTURE, 'tree'), tree, { recursive: true })
    const r = await acplay(['run', 'site.yml', '-i', 'hosts.ini', '--json'], { cwd: tree, env: ENV })
    stderr = r.stderr
    try {
      doc = JSON.parse(r.stdout) as JsonDocument
    } catch {
      throw new Error(`no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`)
    }
  })
  after(() => rmSync(work, { recursive: true, force: true }))

  it('a password from the password lookup is a secret: stored 0600, reused, never shown', async () => {
    const play = join(tree, 'secret.yml')
    writeFileSync(
      play,
      `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: "pw={{ lookup('password', 'pw/shown.txt length=16 chars=ascii_letters') }}"}\n` +
        `    - command: echo "{{ lookup('password', 'pw/shown.txt length=16 chars=ascii_letters') }}"\n`,
    )
    const r = await acplay(['run', play, '-v'], { cwd: tree, env: ENV })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const pw = readFileSync(join(tree, 'pw', 'shown.txt'), 'utf8').trim()
    assert.match(pw, /^[A-Za-z]{16}$/)
    assert.equal((statSync(join(tree, 'pw', 'shown.txt')).mode & 0o777).toString(8), '600')
    assert.ok(!(r.stdout + r.stderr).includes(pw), 'the password is shown')
    assert.match(r.stdout, /pw=\*{8}/)
  })

  it('recorded every case', () => assert.equal(recorded.length, cases.length, 'run scripts/record-lookup-cases.py'))

  const result = (name: string) => doc.results.find((r) => r.host === 'localhost' && r.task.name === name)

  cases.forEach((c, i) => {
    const want = recorded[i]!
    it(`case ${i}: ${describeCase(c)}${c.role ? ' (in a role)' : ''}`, async () => {
      if (c.load_error) {
        const bad = join(tree, `bad${i}.yml`)
        writeFileSync(bad, JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks: [{ name: 'bad', debug: { msg: 'x' }, ...c.task }] }]))
        const r = await acplay(['run', bad, '--syntax-check'], { cwd: tree, env: ENV })
        assert.equal(r.code !== 0, want.load_error, `${r.stdout}${r.stderr}`)
        if (c.message) assert.match(r.stderr + r.stdout, new RegExp(c.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        assert.match(r.stderr + r.stdout, /bad\d+\.yml:\d+:\d+/)
        return
      }
      if (c.error) {
        const r = result(`case ${i}`) ?? result(`case ${i} loop`)
        assert.ok(r, `no result for case ${i}: ${stderr}`)
        assert.equal(r.status === 'failed', want.failed, JSON.stringify(r))
        if (c.message) assert.ok(String(r.msg).includes(c.message), `message ${JSON.stringify(r.msg)} lacks ${JSON.stringify(c.message)}`)
        return
      }
      const r = result(`case ${i}`)
      assert.ok(r, `no result for case ${i}: ${stderr}`)
      assert.equal(r.status, 'ok', `case ${i} ${r.status}: ${r.msg}`)
      assert.deepEqual(normalize(r.output), want.value)
    })
  })
})
