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

/** A fresh directory with a local inventory and a play on it of the given tasks (made from the directory's path). */
function localPlay(prefix: string, tasks: (dir: string) => string) {
  let dir = ''
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    writeFileSync(join(dir, 'hosts.ini'), '[local]\nlocalhost ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), `- hosts: local\n  gather_facts: false\n  tasks:\n${tasks(dir)}`)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  return { inv: () => join(dir, 'hosts.ini'), site: () => join(dir, 'site.yml'), path: (name: string) => join(dir, name) }
}

describe('unknown results in check mode, locally', () => {
  const { inv, site, path } = localPlay(
    'acplay-unknowns-',
    (dir) => `    - name: the version is read
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
    for (const f of ['version', 'marker', 'plain', 'stamp']) assert.equal(existsSync(path(f)), false)
  })

  it('the real run changes every pair check predicted', async () => {
    const r = await acplay(['run', site(), '-i', inv(), '--json'])
    const doc = JSON.parse(r.stdout) as JsonDocument
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(
      doc.results.filter((x) => x.status === 'changed').map((x) => x.task.name),
      ['the version is read', 'the version file', 'a marker when it worked', 'a file per line', 'a plain file', 'stamp'],
    )
    assert.equal(readFileSync(path('version'), 'utf8'), '1.0 1.0\n')
    assert.equal(readFileSync(path('line-1.0'), 'utf8'), '1.0\n')
  })
})

// geerlingguy.php's shape: `find` per configuration directory a package install makes, then
// `with_subelements` over the registered results' files (and debug of them): each item's result is
// unknown, so the loops over them may change and nothing fails or is skipped unseen.
describe('looped registered results unknown in check mode, locally', () => {
  const { inv, site, path } = localPlay(
    'acplay-unknown-loops-',
    (dir) => `    - name: the configuration is unpacked
      command: mkdir -p ${dir}/etc/fpm/conf.d ${dir}/etc/cli/conf.d
      args:
        creates: ${dir}/etc
    - name: configuration files are found
      find:
        paths: "{{ item }}"
      register: found
      with_items: ["${dir}/etc/fpm/conf.d", "${dir}/etc/cli/conf.d"]
    - name: the directories are looked at
      stat:
        path: "{{ item }}"
      register: dirs
      loop: ["${dir}/etc/fpm", "${dir}/etc/cli"]
    - name: what was found is shown
      debug:
        var: found
    - name: the directories are shown
      debug:
        var: dirs.results
    - name: other files are removed
      file:
        path: "{{ item.1.path }}"
        state: absent
      with_subelements:
        - "{{ found.results }}"
        - files
    - name: the directories are kept
      file:
        path: "{{ item.stat.path }}"
        mode: "0755"
      loop: "{{ dirs.results }}"
`,
  )

  it('check: find reads below a path an earlier change makes unknown; loops and debug over the results wait for it', async () => {
    const json = await acplay(['check', site(), '-i', inv(), '--json'])
    assert.equal(json.code, 2, `drift, may-change included\n${json.stdout.slice(-2000)}${json.stderr}`)
    const doc = JSON.parse(json.stdout) as JsonDocument
    const by = Object.fromEntries(doc.results.map((r) => [r.task.name, [r.status, !!r.mayChange]]))
    assert.deepEqual(by, {
      'the configuration is unpacked': ['changed', false],
      'configuration files are found': ['ok', false],
      'the directories are looked at': ['ok', false],
      'what was found is shown': ['ok', false],
      'the directories are shown': ['ok', false],
      'other files are removed': ['changed', true],
      'the directories are kept': ['changed', true],
    })
    assert.equal(existsSync(path('etc')), false)
  })

  it('the real run: the loops run over what is there', async () => {
    const r = await acplay(['run', site(), '-i', inv(), '--json'])
    assert.equal(r.code, 0, r.stderr)
    const doc = JSON.parse(r.stdout) as JsonDocument
    const by = Object.fromEntries(doc.results.map((x) => [x.task.name, x.status]))
    assert.equal(by['other files are removed'], 'skipped')
    assert.equal(by['the directories are kept'], 'ok')
  })
})
