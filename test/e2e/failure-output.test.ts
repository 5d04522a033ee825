/**
 * Issue 21: a failed task says why. On a real host, one playbook fails four ways (a command, a
 * shell script with long stderr holding a secret, apt with a package that does not exist (as
 * Ansible's apt, refused from the package lists before apt-get runs: a message, no rc), a plan
 * whose fact read fails: lineinfile on /etc/shadow as deploy), each registered with ignore_errors
 * and read by a following debug/when on its rc; then a last failing command ends the run. Every
 * output shows rc, cmd, stdout and stderr: plain (stderr cut, with a note), -v (whole), --json,
 * the audit JSON report, JUnit and the TTY; the secret is masked in all of them.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { shellJoin } from '../../engine/connection/quote.js'
import type { JsonDocument } from '../../engine/report/json.js'
import type { AuditReport } from '../../engine/report/audit-json.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { acplay, BIN, capture, expectedRecap, recapLine, type CliResult } from '../helpers/cli.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const H = 'fail1'
const SECRET = 'Fail-Secret-8317'
/** a secret over two lines: masked whole, never in parts (stderr_lines are split after masking) */
const TOKEN_LINES = ['Token-Line-One-41', 'Token-Line-Two-42']
const LS_ERR = "ls: cannot access '/nonexistent-dir': No such file or directory"
const TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    db_password: ${SECRET}
    api_token: "${TOKEN_LINES.join('\\n')}"
  tasks:
    - name: a command that fails
      command: ls /nonexistent-dir
      register: ls_result
      ignore_errors: true
    - name: rc of the command
      debug:
        msg: "ls rc={{ ls_result.rc }} changed={{ ls_result.changed }} cmd={{ ls_result.cmd | join(' ') }} stderr={{ ls_result.stderr }}"
      when: ls_result.rc == 2
    - name: a shell script that fails loudly
      shell: "echo \\"$TOKEN\\" >&2; seq 1 40 >&2; echo 'connecting with {{ db_password }}' >&2; echo out; exit 3"
      environment:
        TOKEN: "{{ api_token }}"
      register: sh_result
      ignore_errors: true
    - name: rc of the script
      debug:
        msg: "sh rc={{ sh_result.rc }} lines={{ sh_result.stderr_lines | length }} out={{ sh_result.stdout_lines }}"
      when: sh_result.rc == 3 and sh_result is failed
    - name: a package that does not exist
      apt:
        name: acplay-nope=1.0
      become: true
      register: apt_result
      ignore_errors: true
    - name: rc of apt
      debug:
        msg: "apt failed, no rc: {{ apt_result.msg }}"
      when: apt_result is failed and apt_result.rc is undefined
    - name: a file deploy cannot read
      lineinfile:
        path: /etc/shadow
        line: x
      register: read_result
      ignore_errors: true
    - name: the failed read
      debug:
        msg: "read {{ read_result.fact }} {{ read_result.fact_args[0] }} rc={{ read_result.rc }}"
      when: read_result.rc != 0
    - name: the last failure ends the run
      command: "ls /nonexistent-{{ db_password }}"
`

describe('a failed task says why, in every output', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  let dir: string
  let inventory: string
  const args = () => [join(dir, 'site.yml'), '-i', inventory]
  const outputs: { name: string; text: string }[] = []
  const noSecret = (name: string, text: string) => {
    outputs.push({ name, text })
    assert.deepEqual(
      [SECRET, ...TOKEN_LINES].filter((s) => text.includes(s)),
      [],
      `${name} shows a secret`,
    )
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-failout-'))
    inventory = bed().inventory({ user: 'deploy' })
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  let plain: CliResult
  it('plain: fatal lines with msg, rc and cmd first, stderr cut to its last 20 lines with a note; reports written', async () => {
    plain = await acplay(['run', ...args(), '--report', join(dir, 'r.json'), '--report', join(dir, 'r.xml')])
    const out = plain.stdout
    assert.equal(plain.code, 2, out + plain.stderr)
    noSecret('plain', out + plain.stderr)
    // as ansible-playbook counts them: an ignored failure is ok too, and changed when a command ran
    assert.equal(recapLine(out, H), expectedRecap(H, { ok: 8, changed: 2, failed: 1, ignored: 4 }))
    // command: Ansible's keys; stderr as a block
    assert.match(
      out,
      new RegExp(
        `fatal: \\[${H}\\]: FAILED! => \\{"msg": "non-zero return code", "rc": 2, "cmd": \\["ls", "/nonexistent-dir"\\], "changed": true, "delta": "0:00:00\\.\\d{6}", "end": "[^"]+", "start": "[^"]+"\\}\\n  stderr:\\n    ${LS_ERR}\\n\\.\\.\\.ignoring\\n`,
      ),
    )
    assert.match(out, new RegExp(`"msg": "ls rc=2 changed=True cmd=ls /nonexistent-dir stderr=${LS_ERR}"`))
    // shell: 41 lines of stderr, the last 20 shown (the masked secret is the last), then stdout
    const shell = out.slice(out.indexOf('TASK [a shell script'), out.indexOf('TASK [rc of the script'))
    assert.match(
      shell,
      /FAILED! => \{"msg": "non-zero return code", "rc": 3, "cmd": "echo \\"\$TOKEN\\" >&2; seq 1 40 >&2; echo 'connecting with \*{8}' >&2; echo out; exit 3", "changed": true, /,
    )
    assert.match(
      shell,
      /\n {2}stderr:\n {4}\.\.\. \(22 more lines; -v shows all\)\n {4}22\n(?: {4}\d\d\n){18} {4}connecting with \*{8}\n {2}stdout:\n {4}out\n\.\.\.ignoring\n/,
    )
    assert.match(out, /"msg": "sh rc=3 lines=43 out=\['out'\]"/)
    // apt: Ansible's message alone (package_status fails before apt-get runs)
    assert.match(out, /FAILED! => \{"msg": "No package matching 'acplay-nope' is available", "changed": false\}\n\.\.\.ignoring\n/)
    assert.match(out, /"msg": "apt failed, no rc: No package matching 'acplay-nope' is available"/)
    // the fact read: which read, its rc; its stderr is in the message
    assert.match(
      out,
      /FAILED! => \{"msg": "reading path\.content failed: cannot read \/etc\/shadow: [^"]*Permission denied", "rc": [1-9]\d*, "changed": false, "fact": "path\.content", "fact_args": \["\/etc\/shadow"\]\}\n\.\.\.ignoring\n/,
    )
    assert.match(out, /"msg": "read path\.content \/etc\/shadow rc=[1-9]\d*"/)
    // the last failure: the secret in its cmd and stderr is masked
    assert.match(
      out,
      /FAILED! => \{"msg": "non-zero return code", "rc": 2, "cmd": \["ls", "\/nonexistent-\*{8}"\], .*\n {2}stderr:\n {4}ls: cannot access '\/nonexistent-\*{8}': No such file or directory\n\nPLAY RECAP/,
    )
  })

  it('-v: the streams whole', async () => {
    const r = await acplay(['run', '-v', ...args()])
    assert.equal(r.code, 2, r.stdout + r.stderr)
    noSecret('-v', r.stdout + r.stderr)
    const shell = r.stdout.slice(r.stdout.indexOf('TASK [a shell script'), r.stdout.indexOf('TASK [rc of the script'))
    assert.match(shell, /\n {2}stderr:\n {4}\*{8}\n {4}1\n {4}2\n(?: {4}\d+\n){38} {4}connecting with \*{8}\n {2}stdout:\n {4}out\n/)
    assert.ok(!shell.includes('more lines'))
  })

  it('--json: every failed result carries what register holds (without failed)', async () => {
    const r = await acplay(['run', '--json', ...args()])
    assert.equal(r.code, 2, r.stderr)
    noSecret('--json', r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout) as JsonDocument
    const by = (name: string) => doc.results.find((x) => x.task.name === name)!
    const ls = by('a command that fails').result!
    assert.deepEqual(Object.keys(ls).sort(), ['changed', 'cmd', 'delta', 'end', 'msg', 'rc', 'start', 'stderr', 'stderr_lines', 'stdout', 'stdout_lines'])
    assert.deepEqual(
      { ...ls, start: undefined, end: undefined, delta: undefined },
      {
        cmd: ['ls', '/nonexistent-dir'],
        rc: 2,
        stdout: '',
        stderr: LS_ERR,
        stdout_lines: [],
        stderr_lines: [LS_ERR],
        changed: true,
        msg: 'non-zero return code',
        start: undefined,
        end: undefined,
        delta: undefined,
      },
    )
    assert.match(String(ls.start), TIME)
    assert.match(String(ls.end), TIME)
    assert.match(String(ls.delta), /^0:00:0\d\.\d{6}$/)
    const sh = by('a shell script that fails loudly').result!
    assert.deepEqual((sh.stderr_lines as string[]).slice(0, 2), ['********', '1'], 'the whole stderr, the token masked whole')
    assert.equal((sh.stderr_lines as string[]).length, 42)
    assert.equal((sh.stderr_lines as string[])[41], 'connecting with ********')
    assert.equal(sh.cmd, `echo "$TOKEN" >&2; seq 1 40 >&2; echo 'connecting with ********' >&2; echo out; exit 3`)
    const apt = by('a package that does not exist').result!
    assert.deepEqual([apt.rc, apt.stderr, apt.cmd, apt.msg], [undefined, undefined, undefined, "No package matching 'acplay-nope' is available"])
    const read = by('a file deploy cannot read').result!
    assert.deepEqual([read.fact, read.fact_args], ['path.content', ['/etc/shadow']])
    assert.match(String(read.stderr), /Permission denied/)
    assert.equal(read.stdout, undefined, "a read's output is not shown")
    assert.deepEqual(
      doc.results.filter((x) => x.task.name.startsWith('rc of') || x.task.name === 'the failed read').map((x) => x.status),
      ['ok', 'ok', 'ok', 'ok'],
      'register + ignore_errors: the rc is there for when',
    )
  })

  it('the audit JSON report (valid against its schema) and JUnit hold the whole results', () => {
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as AuditReport
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8')
    noSecret('audit JSON', JSON.stringify(report))
    noSecret('JUnit', xml)
    assert.deepEqual(auditSchemaErrors(report), [])
    const tasks = report.hosts[0]!.tasks
    const sh = tasks.find((t) => t.task === 'a shell script that fails loudly')!
    assert.equal(sh.result?.rc, 3)
    assert.equal((sh.result!.stderr_lines as string[]).length, 42)
    assert.equal(tasks.find((t) => t.task === 'a package that does not exist')!.result?.msg, "No package matching 'acplay-nope' is available")
    assert.equal(tasks.find((t) => t.task === 'a file deploy cannot read')!.result?.fact, 'path.content')
    // the failure that ended the run is an <error> with everything; the ignored ones are in <system-out>
    const error = /<error message="non-zero return code" type="failed">([^<]*)<\/error>/.exec(xml)
    assert.ok(error, xml)
    assert.match(
      error[1]!,
      /^\{&quot;msg&quot;: &quot;non-zero return code&quot;, &quot;rc&quot;: 2, &quot;cmd&quot;: \[&quot;ls&quot;, &quot;\/nonexistent-\*{8}&quot;\]/,
    )
    assert.match(error[1]!, /\n {2}stderr:\n {4}ls: cannot access &apos;\/nonexistent-\*{8}&apos;: No such file or directory$/)
    assert.match(
      xml,
      /<system-out>failed \(ignored\): [^<]*\n {2}stderr:\n {4}\*{8}\n {4}1\n {4}2\n[^<]* {4}connecting with \*{8}\n {2}stdout:\n {4}out<\/system-out>/,
    )
    assert.match(
      xml,
      /<system-out>failed \(ignored\): \{&quot;msg&quot;: &quot;No package matching &apos;acplay-nope&apos; is available&quot;, &quot;changed&quot;: false\}/,
    )
  })

  it('the TTY shows the same lines (under a pseudo-terminal)', async () => {
    const cmd = shellJoin([process.execPath, BIN, 'run', ...args()])
    const r = await capture(['script', '-qec', `stty cols 200 rows 50; ${cmd}`, '/dev/null'], { env: { TERM: 'xterm' } })
    noSecret('TTY', r.stdout + r.stderr)
    assert.match(r.stdout, /FAILED! => \{"msg": "non-zero return code", "rc": 3, /)
    assert.match(r.stdout, /\(22 more lines; -v shows all\)/)
    assert.match(r.stdout, /FAILED! => \{"msg": "No package matching 'acplay-nope' is available", "changed": false\}/)
  })

  it('every output was searched for the secret', () => {
    assert.equal(outputs.length, 6)
  })
})
