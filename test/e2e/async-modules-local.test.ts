/**
 * `async` on modules other than command and shell, against Debian's ansible-playbook (local
 * connection, each tool in its own directory). `poll: 0`: the task reports the job started
 * (changed), async_status returns the module's own result once the job ended (a change, no change,
 * a failure). `poll` > 0: the module's result with the job's keys, Ansible's ASYNC POLL / OK / FAILED
 * lines. A module whose Ansible action has no async (copy) fails as there. The same registered
 * values (but for the job's id, its file and how many polls it took), lines, recap and files.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture, recapLine } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const VOLATILE = `['ansible_job_id', 'results_file', 'attempts']`
const seen = (v: string) => `"{{ ${v} | dict2items | rejectattr('key', 'in', ${VOLATILE}) | items2dict | to_json }}"`

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    out: "{{ playbook_dir }}/out"
  tasks:
    - name: a line, in the background
      lineinfile: {path: "{{ out }}/f.txt", line: hello, create: true}
      async: 30
      poll: 0
      register: job
    - name: wait for it
      async_status: {jid: "{{ job.ansible_job_id }}"}
      register: st
      until: st.finished
      retries: 30
      delay: 1
    - name: the same line again, in the background
      lineinfile: {path: "{{ out }}/f.txt", line: hello}
      async: 30
      poll: 0
      register: job2
    - name: wait for the second
      async_status: {jid: "{{ job2.ansible_job_id }}"}
      register: st2
      until: st2.finished
      retries: 30
      delay: 1
    - name: a file in a missing directory, in the background
      file: {path: "{{ out }}/missing/x", state: touch}
      async: 30
      poll: 0
      register: job3
    - name: wait for the failure
      async_status: {jid: "{{ job3.ansible_job_id }}"}
      register: st3
      until: st3.finished
      retries: 30
      delay: 1
      ignore_errors: true
    - name: a polled line
      lineinfile: {path: "{{ out }}/f.txt", line: polled}
      async: 30
      poll: 1
      register: polled
    - name: a polled shell, still running at the first poll
      shell: sleep 1.5; echo done
      async: 30
      poll: 1
      register: polled_sh
    - name: a polled failure
      lineinfile: {path: "{{ out }}/missing/f.txt", line: x}
      async: 30
      poll: 1
      register: polled_bad
      ignore_errors: true
    - name: copy has no async
      copy: {dest: "{{ out }}/c.txt", content: x}
      async: 30
      poll: 0
      register: cp
      ignore_errors: true
    - name: seen
      debug:
        msg:
          - ${seen('job')}
          - ${seen('st')}
          - ${seen('job2')}
          - ${seen('st2')}
          - ${seen('job3')}
          - ${seen('st3')}
          - ${seen('cp')}
          - ${seen('polled')}
          - ${seen("polled_sh | dict2items | rejectattr('key', 'in', ['start', 'end', 'delta']) | items2dict")}
          - ${seen('polled_bad')}
    - name: the jobs' files go
      async_status: {jid: "{{ item.ansible_job_id }}", mode: cleanup}
      loop: "{{ [job, job2, job3] }}"
`

describe('async with poll: 0 on other modules, against ansible-playbook (local)', () => {
  const dirs: string[] = []
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('the same results, recap and files as Ansible', async () => {
    const run = async (tool: 'acplay' | 'ansible') => {
      const dir = localPlaybookDir(`async-${tool}`, { 'site.yml': PLAYBOOK })
      dirs.push(dir)
      const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
      const args = ['site.yml', '-i', 'hosts.ini']
      const r = tool === 'acplay' ? await acplay(['run', ...args], { cwd: dir, env }) : await capture(['ansible-playbook', ...args], { cwd: dir, env })
      const msg = /TASK \[seen\][^\n]*\nok: \[localhost\] => (\{[\s\S]*?\n\})\n/.exec(r.stdout)
      assert.ok(msg, `${tool}: no 'seen' output\n${r.stdout}\n${r.stderr}`)
      // each tool's own directory out of the paths
      const values = (JSON.parse(msg[1]!) as { msg: string[] }).msg.map((s) => JSON.parse(s.replaceAll(dir, 'DIR')) as Record<string, unknown>)
      // how many polls found the shell running depends on the machine's pace: repeated POLL lines count once
      const asyncLines = r.stdout
        .match(/^ASYNC \w+ on localhost: jid=\S+( started=1 finished=0)?$/gm)
        ?.map((l) => l.replace(/jid=\S+/, 'jid=J'))
        .filter((l, i, all) => !l.startsWith('ASYNC POLL') || l !== all[i - 1])
      return { r, values, asyncLines, recap: recapLine(r.stdout, 'localhost'), file: readFileSync(join(dir, 'out/f.txt'), 'utf8') }
    }
    const [ours, theirs] = await Promise.all([run('acplay'), run('ansible')])
    assert.equal(ours.r.code, 0, ours.r.stdout + ours.r.stderr)
    assert.equal(theirs.r.code, 0, theirs.r.stdout + theirs.r.stderr)
    // the failed job's own keys are file's failure (its msg and keys differ in the foreground too: docs/compat.md); its status agrees
    const status = (v: Record<string, unknown> | undefined) => [v?.failed, v?.finished, v?.started, v?.changed]
    assert.deepEqual(status(ours.values[5]), status(theirs.values[5]))
    // Ansible's refusal also holds `exception: 'NoneType: None'` (its action's empty traceback), which acplay leaves out
    const others = (vs: Record<string, unknown>[]) =>
      vs.filter((_, i) => i !== 5).map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'exception')))
    assert.deepEqual(others(ours.values), others(theirs.values))
    const [job, st, , st2, , st3, cp] = ours.values
    assert.deepEqual([job?.changed, job?.finished, st?.finished, st?.changed, st?.msg, st2?.changed], [true, 0, 1, true, 'line added', false])
    assert.equal(st3?.failed, true)
    assert.equal(cp?.msg, 'async is not supported for this task.')
    assert.deepEqual([ours.values[7]?.msg, ours.values[8]?.stdout, ours.values[9]?.failed], ['line added', 'done', true])
    // on a loaded machine Ansible may first poll the shell after it ended (no POLL line): compared without them
    const withoutPolls = (lines: string[] | undefined) => lines?.filter((l) => !l.startsWith('ASYNC POLL'))
    assert.deepEqual(withoutPolls(ours.asyncLines), withoutPolls(theirs.asyncLines))
    assert.deepEqual(ours.asyncLines, [
      'ASYNC OK on localhost: jid=J',
      'ASYNC POLL on localhost: jid=J started=1 finished=0',
      'ASYNC OK on localhost: jid=J',
      'ASYNC FAILED on localhost: jid=J',
    ])
    assert.equal(ours.recap, theirs.recap)
    assert.equal(ours.file, 'hello\npolled\n')
    assert.equal(theirs.file, 'hello\npolled\n')
  })
})
