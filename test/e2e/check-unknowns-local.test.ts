/**
 * Issue 17 through the whole run loop (ansible_connection=local): a command's registered result is
 * unknown in check mode; a `when` on it "may run", a task templated from it "may change", set_fact
 * passes the unknown on (under a templated name too), debug (msg or var) and assert do not fail, a loop over it may change, a handler notified only by a task that may change may
 * run; the plain output and --json tell exact and may-change apart; the real run then does it all.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'

describe('unknown results in check mode, locally', () => {
  let dir = ''
  const inv = () => join(dir, 'hosts.ini')
  const site = () => join(dir, 'site.yml')
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-unknowns-'))
    writeFileSync(inv(), '[local]\nlocalhost ansible_connection=local\n')
    writeFileSync(
      site(),
      `- hosts: local
  gather_facts: false
  tasks:
    - name: the version is read
      command: echo 1.0
      register: out
    - name: the version is kept
      set_fact:
        version: "{{ out.stdout }}"
        "{{ 'release' }}": "{{ out.stdout }}"
    - name: the version is shown
      debug:
        msg: "version {{ version }}"
    - name: the result is shown
      debug:
        var: out
    - name: the result is checked
      assert:
        that: out.rc == 0
    - name: the version file
      copy:
        dest: ${dir}/version
        content: "{{ release }} {{ version }}\\n"
      notify: stamp
    - name: a marker when it worked
      copy:
        dest: ${dir}/marker
        content: "ok\\n"
      when: out.rc == 0
    - name: a file per line
      copy:
        dest: ${dir}/line-{{ item }}
        content: "{{ item }}\\n"
      loop: "{{ out.stdout_lines }}"
    - name: a plain file
      copy:
        dest: ${dir}/plain
        content: "plain\\n"
  handlers:
    - name: stamp
      copy:
        dest: ${dir}/stamp
        content: "stamped\\n"
`,
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('check: nothing fails; exact and may-change are told apart; nothing is touched', async () => {
    const plain = await acplay(['check', site(), '-i', inv()])
    assert.equal(plain.code, 2, `drift, may-change included\n${plain.stdout}${plain.stderr}`)
    assert.match(
      plain.stdout,
      /TASK \[the version file\][\s\S]*?may change: \[localhost\]\n {2}may change: its arguments need the result of task 'the version is read'/,
    )
    assert.match(
      plain.stdout,
      /TASK \[a marker when it worked\][\s\S]*?may change: \[localhost\]\n {2}may run \(its when needs the result of task 'the version is read'\)/,
    )
    assert.match(plain.stdout, /drift: 6 task\(s\) would change on 1 of 1 audited host\(s\) \(2 predicted exactly, 4 may change/)
    const json = await acplay(['check', site(), '-i', inv(), '--json'])
    const doc = JSON.parse(json.stdout) as JsonDocument
    const by = Object.fromEntries(doc.results.map((r) => [r.task.name, [r.status, !!r.mayChange]]))
    assert.deepEqual(by, {
      'the version is read': ['changed', false],
      'the version is kept': ['ok', false],
      'the version is shown': ['ok', false],
      'the result is shown': ['ok', false],
      'the result is checked': ['ok', false],
      'the version file': ['changed', true],
      'a marker when it worked': ['changed', true],
      'a file per line': ['changed', true],
      'a plain file': ['changed', false],
      stamp: ['changed', true],
    })
    for (const f of ['version', 'marker', 'plain', 'stamp']) assert.equal(existsSync(join(dir, f)), false)
  })

  it('the real run changes every pair check predicted', async () => {
    const r = await acplay(['run', site(), '-i', inv(), '--json'])
    const doc = JSON.parse(r.stdout) as JsonDocument
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(
      doc.results.filter((x) => x.status === 'changed').map((x) => x.task.name),
      ['the version is read', 'the version file', 'a marker when it worked', 'a file per line', 'a plain file', 'stamp'],
    )
    assert.equal(readFileSync(join(dir, 'version'), 'utf8'), '1.0 1.0\n')
    assert.equal(readFileSync(join(dir, 'line-1.0'), 'utf8'), '1.0\n')
  })
})
