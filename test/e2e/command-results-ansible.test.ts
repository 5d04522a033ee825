/**
 * command and shell results against Debian's ansible-playbook, with ansible_connection=local: the
 * same playbook registers a failed command, a failed shell script, a command that ran, one that
 * creates skipped, and programs that never started (not found, not executable, a chdir that is
 * missing or a file, a shell that is missing); each registered value must have Ansible's keys and
 * values (times: the same format, not the same instant), and the recap the same counts.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

const NAMES = ['cmd_failed', 'shell_failed', 'cmd_ok', 'cmd_skipped', 'not_found', 'not_executable', 'no_chdir', 'chdir_file', 'no_shell']

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - command: ls /nonexistent-dir
      register: cmd_failed
      ignore_errors: true
    - shell: "echo out; printf 'err 1\\\\nerr 2\\\\n' >&2; exit 3"
      register: shell_failed
      ignore_errors: true
    - command: printf 'a\\nb\\n'
      register: cmd_ok
    - command: ls /
      args: { creates: / }
      register: cmd_skipped
    - command: "no-such-prögram 'a b'"
      register: not_found
      ignore_errors: true
    - command: /etc/passwd
      register: not_executable
      ignore_errors: true
    - command: ls
      args: { chdir: /nonexistent-dir }
      register: no_chdir
      ignore_errors: true
    - command: ls
      args: { chdir: /etc/passwd }
      register: chdir_file
      ignore_errors: true
    - shell: echo $0
      args: { executable: /nonexistent-dir/bash }
      register: no_shell
      ignore_errors: true
${NAMES.map((n) => `    - debug: { var: ${n} }\n`).join('')}`

type Registered = Record<string, unknown>

/** Times are compared by their format (null when the command did not run); the rest as they are. */
function comparable(r: Registered): Registered {
  const { ansible_facts: _facts, ...rest } = r
  const format = (v: unknown, re: RegExp) => (v === null ? null : re.test(String(v)) ? 'ok' : `bad: ${String(v)}`)
  const time = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/
  return { ...rest, start: format(r.start, time), end: format(r.end, time), delta: format(r.delta, /^0:00:0\d(\.\d{6})?$/) }
}

describe("command and shell register what Ansible's do", () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-cmd-ansible-'))
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same keys and values, failed or not', async () => {
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]),
      capture(['ansible-playbook', '-i', join(dir, 'hosts.ini'), join(dir, 'site.yml')], {
        cwd: dir,
        env: { ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_NOCOLOR: '1' },
      }),
    ])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, `ansible-playbook (Debian's ansible, scripts/setup-test-deps.sh) failed: ${theirs.stdout}${theirs.stderr}`)
    const doc = JSON.parse(ours.stdout) as JsonDocument
    const acplayVars = Object.fromEntries(doc.results.flatMap((r) => Object.entries((r.output ?? {}) as Registered)))
    const ansible = JSON.parse(theirs.stdout) as {
      plays: { tasks: { hosts: { localhost: Registered } }[] }[]
      stats: { localhost: { ok: number; changed: number; failures: number; ignored: number } }
    }
    const ansibleVars = Object.fromEntries(ansible.plays[0]!.tasks.flatMap((t) => Object.entries(t.hosts.localhost).filter(([k]) => NAMES.includes(k))))
    for (const name of NAMES) {
      assert.ok(ansibleVars[name] && acplayVars[name], `${name} registered by both`)
      assert.deepEqual(comparable(acplayVars[name] as Registered), comparable(ansibleVars[name] as Registered), name)
    }
    const { ok, changed, failed, ignored } = doc.recap[0]!
    const stats = ansible.stats.localhost
    assert.deepEqual({ ok, changed, failed, ignored }, { ok: stats.ok, changed: stats.changed, failed: stats.failures, ignored: stats.ignored })
  })
})
