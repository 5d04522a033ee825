/**
 * Malformed inventories, playbooks and options: a clean one-line error naming the file, line (and
 * column, and host where there is one), the documented exit code, never a stack trace. No hosts
 * needed: the errors come before any connection (or on the control machine).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { assertNoStackTrace, runAcplay, scratch } from './helpers.js'

const PING = `- hosts: all
  gather_facts: false
  tasks:
    - ping:
`

describe('bad input gets a clean error with its place', () => {
  const dir = scratch('faults-bad-input', {
    'ping.yml': PING,
    'port.ini': '[web]\nweb1 ansible_host=10.231.250.11 ansible_port=notaport\n',
    'port.yml': 'all:\n  hosts:\n    web1:\n      ansible_host: 10.231.250.11\n      ansible_port: 70000\n',
    'group-port.ini': '[web]\nweb1\n\n[web:vars]\nansible_timeout=soon\n',
    'local.ini': 'localhost ansible_connection=local\n',
    'mode.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: a mode that cannot be valid
      file:
        path: /tmp/x
        state: touch
        mode: [1, 2]
`,
    'include.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ping:
    - include_tasks: does-not-exist.yml
`,
    'templated-port.yml': `all:
  hosts:
    web1:
      ansible_host: 10.231.250.11
      ansible_port: "{{ 'not' ~ 'aport' }}"
    web2:
      ansible_connection: local
`,
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const p = (f: string) => join(dir, f)

  it('ansible_port=notaport in an INI inventory: the inventory file, line and host, before any connection', async () => {
    const r = await runAcplay(['run', p('ping.yml'), '-i', p('port.ini')])
    assertNoStackTrace(r)
    assert.equal(r.code, 4, r.stdout + r.stderr)
    assert.equal(r.stderr.trim(), `ERROR! E_INVENTORY: ${p('port.ini')}:2: ansible_port must be a port number (1-65535), got "notaport" (host web1)`)
    assert.equal(r.stdout, '')
  })

  it('the same in YAML, and in a group variable', async () => {
    const y = await runAcplay(['run', p('ping.yml'), '-i', p('port.yml')])
    assertNoStackTrace(y)
    assert.match(y.stderr, new RegExp(`^ERROR! E_INVENTORY: ${p('port.yml')}:4:7: ansible_port must be a port number \\(1-65535\\), got 70000 \\(host web1\\)`))
    const g = await runAcplay(['run', p('ping.yml'), '-i', p('group-port.ini')])
    assertNoStackTrace(g)
    assert.match(g.stderr, /group-port\.ini:5: group web: ansible_timeout must be a number of seconds above 0, got "soon"/)
  })

  it('a templated port that renders to nonsense: that host fails with the same message, the others go on (no crash)', async () => {
    const r = await runAcplay(['run', p('ping.yml'), '-i', p('templated-port.yml')])
    assertNoStackTrace(r)
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.match(r.stdout, /fatal: \[web1\]: FAILED! .*E_INVENTORY: ansible_port must be a port number \(1-65535\), got \\"notaport\\" \(host web1\)/)
    assert.match(r.stdout, /ok: \[web2\]/)
  })

  it('mode: [1, 2] is a load-time error at its file:line:col', async () => {
    const r = await runAcplay(['run', p('mode.yml'), '-i', p('local.ini')])
    assertNoStackTrace(r)
    assert.equal(r.code, 4, r.stdout + r.stderr)
    assert.match(
      r.stderr,
      new RegExp(
        `^ERROR! E_PARAM: ${p('mode.yml')}:8:15: argument 'mode' must be an octal string like "0644" .*got \\[1,2\\] \\(task 'a mode that cannot be valid'\\)`,
      ),
    )
    assert.equal(r.stdout, '', 'nothing ran')
  })

  it("include_tasks of a missing file fails that host's include, naming the file and line that include it (the run ends 2, as Ansible)", async () => {
    const r = await runAcplay(['run', p('include.yml'), '-i', p('local.ini')])
    assertNoStackTrace(r)
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.match(
      r.stdout,
      new RegExp(
        `fatal: \\[\\w+\\]: FAILED! => \\{"msg": "E_PLAYBOOK: ${p('include.yml')}:5:7: include_tasks: could not find or access 'does-not-exist\\.yml' \\(searched: ${p('does-not-exist.yml')}\\)`,
      ),
    )
  })

  it('--detailed-exitcode: accepted on check (the default there) and on run --check; refused without --check', async () => {
    const check = await runAcplay(['check', p('ping.yml'), '-i', p('local.ini'), '--detailed-exitcode'])
    assert.equal(check.code, 0, check.stdout + check.stderr)
    const runCheck = await runAcplay(['run', '--check', '--detailed-exitcode', p('mode.yml').replace('mode.yml', 'ping.yml'), '-i', p('local.ini')])
    assert.equal(runCheck.code, 0, runCheck.stdout + runCheck.stderr)
    const noCheck = await runAcplay(['run', '--detailed-exitcode', p('ping.yml'), '-i', p('local.ini')])
    assert.equal(noCheck.code, 5)
    assert.match(noCheck.stderr, /--detailed-exitcode needs --check/)
    assertNoStackTrace(noCheck)
  })
})
