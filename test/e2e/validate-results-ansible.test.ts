/**
 * What a refused `validate` returns, against Debian's ansible-playbook (local connection): copy and
 * template fail with msg 'failed to validate', the new content's sha1 checksum, exit_status and the
 * validator's stdout and stderr (geerlingguy.haproxy's `haproxy -c -f %s` refusing a bad balance
 * method); lineinfile, replace, blockinfile and assemble with 'failed to validate: rc:N error:STDERR'.
 * A validator that cannot start (no such file, on the PATH or not; not executable) fails with Python's
 * exec error as Ansible's run_command does: msg '[Errno 2] No such file or directory: b'PROG'', the
 * errno as rc, the command as cmd (its temp file's path differs: only its program compared).
 * The file is left alone, and no temp file stays.
 */
import assert from 'node:assert/strict'
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

// the validator prints to both streams (not the temp file's name: Ansible's and acplay's differ) and exits 3
const CHECK = '#!/bin/sh\necho "checked"\necho "[ALERT] config : line 2 : unknown keyword" >&2\necho "[ALERT] Fatal errors found" >&2\nexit 3\n'

const KEYS =
  '{{ r | dict2items | selectattr("key", "in", ["failed", "msg", "checksum", "exit_status", "rc", "stdout", "stderr", "stdout_lines", "stderr_lines"]) | items2dict | combine({"program": (r.cmd | default("-")).split(" ") | first}) | to_json }}'

const TASKS: [name: string, task: string][] = [
  ['template', 'template: { src: t.j2, dest: "{{ d }}/conf", validate: "{{ check }} %s" }'],
  ['copy', 'copy: { content: "new\\n", dest: "{{ d }}/conf", validate: "{{ check }} %s" }'],
  ['lineinfile', 'lineinfile: { path: "{{ d }}/conf", line: "new", validate: "{{ check }} %s" }'],
  ['replace', 'replace: { path: "{{ d }}/conf", regexp: "old", replace: "new", validate: "{{ check }} %s" }'],
  ['blockinfile', 'blockinfile: { path: "{{ d }}/conf", block: "new", validate: "{{ check }} %s" }'],
  ['assemble', 'assemble: { src: "{{ d }}/parts", dest: "{{ d }}/conf", remote_src: true, validate: "{{ check }} %s" }'],
  ['template, no such validator', 'template: { src: t.j2, dest: "{{ d }}/conf", validate: "{{ d }}/missing -c %s" }'],
  ['copy, a validator not executable', 'copy: { content: "new\\n", dest: "{{ d }}/conf", validate: "{{ d }}/conf %s" }'],
  ['lineinfile, no such validator on the PATH', 'lineinfile: { path: "{{ d }}/conf", line: "new", validate: "acplay-no-such-validator -c %s" }'],
]

const playbook = (d: string) => `- hosts: all
  gather_facts: false
  vars: { d: ${JSON.stringify(d)}, check: ${JSON.stringify(join(d, 'check.sh'))} }
  tasks:
${TASKS.map(([name, task]) => `    - name: ${name}\n      ${task}\n      register: r\n      ignore_errors: true\n    - name: seen ${name}\n      debug: { msg: '${KEYS}' }\n`).join('')}`

describe("a refused validate returns what Ansible's modules return (copy and template apart)", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('validate-results', { 't.j2': 'new {{ 1 + 1 }}\n', 'data/conf': 'old\n', 'data/parts/a': 'new\n', 'data/check.sh': CHECK })
    chmodSync(join(dir, 'data', 'check.sh'), 0o755)
    writeFileSync(join(dir, 'site.yml'), playbook(join(dir, 'data')))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same msg, exit_status and outputs in both; the file untouched', async () => {
    const d = join(dir, 'data')
    const both = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    const { ours, theirs, doc, ansible } = both
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    // values compared, not the keys' order (acplay's registered failure puts the _lines before msg)
    const seen = Object.fromEntries(doc.results.filter((r) => r.task.name?.startsWith('seen')).map((r) => [r.task.name, JSON.parse(String(r.output))]))
    const their = Object.fromEntries(
      ansible.plays.flatMap((p) => p.tasks.filter((t) => t.task.name.startsWith('seen')).map((t) => [t.task.name, JSON.parse(String(t.hosts.localhost?.msg))])),
    )
    assert.deepEqual(seen, their)
    assert.equal(Object.keys(seen).length, TASKS.length)
    assert.equal(readFileSync(join(d, 'conf'), 'utf8'), 'old\n')
    assert.deepEqual(readdirSync(d).sort(), ['check.sh', 'conf', 'parts'])
    assert.deepEqual(seen['seen template'], {
      checksum: '44715eaa8fdc2568257cd8a5303f5b10d54dc397',
      exit_status: 3,
      failed: true,
      msg: 'failed to validate',
      stderr: '[ALERT] config : line 2 : unknown keyword\n[ALERT] Fatal errors found\n',
      stderr_lines: ['[ALERT] config : line 2 : unknown keyword', '[ALERT] Fatal errors found'],
      stdout: 'checked\n',
      stdout_lines: ['checked'],
      program: '-',
    })
    assert.deepEqual(seen['seen lineinfile'], {
      failed: true,
      msg: 'failed to validate: rc:3 error:[ALERT] config : line 2 : unknown keyword\n[ALERT] Fatal errors found\n',
      program: '-',
    })
    assert.deepEqual(seen['seen lineinfile, no such validator on the PATH'], {
      failed: true,
      msg: "[Errno 2] No such file or directory: b'acplay-no-such-validator'",
      rc: 2,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      program: 'acplay-no-such-validator',
    })
    assert.equal(seen['seen copy, a validator not executable'].msg, `[Errno 13] Permission denied: b'${join(d, 'conf')}'`)
  })
})
