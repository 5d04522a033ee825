/**
 * How far `throttle` and `timeout` reach, against Debian's ansible-playbook (three local hosts): a
 * play's, block's, import's and role entry's reach the tasks inside, a task's own wins, a dynamic
 * include's `timeout` acts on the include alone (its `apply:` reaches the tasks), ansible.cfg's
 * task_timeout is the default; under `strategy: free` the hosts share one throttle. A dynamic
 * include takes only Ansible's include keywords (`become`, `notify`, `throttle`... refused at load,
 * in Ansible's words); the deprecated `include:` is not checked, as there.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameStatusesAndRecap } from '../helpers/local-both.js'

const INVENTORY = 'a ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n'
// each tool writes its own stamps: ansible-playbook runs with ANSIBLE_STDOUT_CALLBACK=json
const OUT = "{{ playbook_dir }}/{{ lookup('env', 'ANSIBLE_STDOUT_CALLBACK') or 'acplay' }}"

const STAMP = `- name: "stamp {{ label }}"
  shell: "s=$(date +%s.%N); sleep 1; echo $s $(date +%s.%N) >> ${OUT}/{{ label }}"
`
const SLEEP = `- name: "sleeps {{ label }}"
  command: sleep 4
`

const THROTTLE = `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "${OUT}", state: directory }
      run_once: true
    - block:
        - import_tasks: stamp.yml
          vars: { label: block }
      throttle: 1
    - import_tasks: stamp.yml
      vars: { label: import }
      throttle: 2
    - block:
        - import_tasks: stamp.yml
          vars: { label: inner }
          throttle: 3
      throttle: 1
    - include_tasks: stamp.yml
      vars: { label: include }
    - include_tasks: { file: stamp.yml, apply: { throttle: 1 } }
      vars: { label: apply }
- hosts: all
  gather_facts: false
  throttle: 1
  tasks:
    - import_tasks: stamp.yml
      vars: { label: play }
- hosts: all
  gather_facts: false
  roles:
    - { role: stamps, label: role, throttle: 1 }
- hosts: all
  gather_facts: false
  strategy: free
  tasks:
    - import_tasks: stamp.yml
      vars: { label: free }
      throttle: 1
`

const TIMEOUT = `- hosts: a
  gather_facts: false
  timeout: 1
  tasks:
    - import_tasks: sleep.yml
      vars: { label: play }
      ignore_errors: true
- hosts: a
  gather_facts: false
  tasks:
    - block:
        - import_tasks: sleep.yml
          vars: { label: inner wins }
          timeout: 30
        - import_tasks: sleep.yml
          vars: { label: block }
          ignore_errors: true
      timeout: 1
    - import_tasks: sleep.yml
      vars: { label: import }
      timeout: 1
      ignore_errors: true
    - include_tasks: sleep.yml
      vars: { label: include }
      timeout: 1
    - include_tasks: { file: sleep.yml, apply: { timeout: 1, ignore_errors: true } }
      vars: { label: apply }
    - include_role: { name: sleeps }
      vars: { label: include_role }
      timeout: 1
    - import_role: { name: sleeps }
      vars: { label: import_role }
      timeout: 1
      ignore_errors: true
- hosts: a
  gather_facts: false
  roles:
    - { role: sleeps, label: role, timeout: 1, ignore_errors: true }
`

const FILES = {
  'hosts.ini': INVENTORY,
  'stamp.yml': STAMP,
  'sleep.yml': SLEEP,
  'roles/stamps/tasks/main.yml': '- import_tasks: ../../../stamp.yml\n',
  'roles/sleeps/tasks/main.yml': '- import_tasks: ../../../sleep.yml\n',
  'throttle.yml': THROTTLE,
  'timeout.yml': TIMEOUT,
  'task-timeout.yml':
    '- hosts: a\n  gather_facts: false\n  tasks:\n    - import_tasks: sleep.yml\n      vars: { label: cfg }\n      ignore_errors: true\n    - import_tasks: sleep.yml\n      vars: { label: none }\n      timeout: 0\n',
}

/** For each stamped label: how many hosts ran it, and the most that ran it at once. */
function atOnce(dir: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  for (const label of readdirSync(dir)) {
    const spans = readFileSync(join(dir, label), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number) as [number, number])
    const most = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && e > start).length))
    out[label] = [spans.length, most]
  }
  return out
}

describe('throttle and timeout on plays, blocks, imports, roles and includes, as ansible-playbook', () => {
  const dir = localPlaybookDir('keyword-reach', FILES)
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('throttle: the same tasks run with as many hosts at once as in Ansible; the same recap', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'throttle.yml'])
    sameStatusesAndRecap(both)
    const theirs = atOnce(join(dir, 'json'))
    assert.deepEqual(theirs, { block: [3, 1], import: [3, 2], inner: [3, 3], include: [3, 3], apply: [3, 1], play: [3, 1], role: [3, 1], free: [3, 1] })
    assert.deepEqual(atOnce(join(dir, 'acplay')), theirs)
  })

  it('timeout: the same tasks time out, with the same messages, and the same recap', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'timeout.yml'])
    sameStatusesAndRecap(both)
    const failed = both.doc.results.filter((r) => r.status === 'failed').map((r) => r.task.name)
    assert.deepEqual(failed, ['sleeps play', 'sleeps block', 'sleeps import', 'sleeps apply', 'sleeps import_role', 'sleeps role'])
    assert.equal(both.doc.results.filter((r) => r.task.name === 'sleeps include_role')[0]?.status, 'changed', 'an include_role timeout is its own')
  })

  it("timeout: ansible.cfg's task_timeout (ANSIBLE_TASK_TIMEOUT) is the default, a task's 0 lifts it", async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'task-timeout.yml'], { ANSIBLE_TASK_TIMEOUT: '1' })
    sameStatusesAndRecap(both)
    assert.deepEqual(
      both.doc.results.map((r) => [r.task.name, r.status]),
      [
        ['sleeps cfg', 'failed'],
        ['sleeps none', 'changed'],
      ],
    )
  })

  it("refuses at load a keyword a dynamic include does not take, in Ansible's words; the deprecated include is not checked", async () => {
    const play = (task: string, kw: string) => `- hosts: a\n  gather_facts: false\n  tasks:\n    - ${task}\n      vars: { label: x }\n      ${kw}\n`
    const cases: [string, string, string | undefined][] = [
      ['include_tasks: sleep.yml', 'become: true', "'become' is not a valid attribute for a TaskInclude"],
      ['include_role: { name: sleeps }', 'notify: x', "'notify' is not a valid attribute for a IncludeRole"],
      ['include_tasks: sleep.yml', 'throttle: 1', "'throttle' is not a valid attribute for a TaskInclude"],
      ['include_role: { name: sleeps }', 'delegate_to: b', "'delegate_to' is not a valid attribute for a IncludeRole"],
      ['include_tasks: sleep.yml', 'run_once: true', undefined],
      ['include: "{{ \'sleep.yml\' }}"', 'become: true', undefined],
    ]
    for (const [task, kw, message] of cases) {
      const d = localPlaybookDir('include-keywords', {
        'hosts.ini': INVENTORY,
        'sleep.yml': SLEEP,
        'roles/sleeps/tasks/main.yml': SLEEP,
        'pb.yml': play(task, kw),
      })
      try {
        const theirs = await capture(['ansible-playbook', '--syntax-check', '-i', 'hosts.ini', 'pb.yml'], {
          cwd: d,
          env: { ANSIBLE_CONFIG: join(d, 'ansible.cfg') },
        })
        const ours = await acplay(['run', '--syntax-check', '-i', 'hosts.ini', 'pb.yml'], { cwd: d })
        if (message === undefined) {
          assert.equal(theirs.code, 0, `${task} ${kw}: ${theirs.stdout}${theirs.stderr}`)
          assert.equal(ours.code, 0, `${task} ${kw}: ${ours.stdout}${ours.stderr}`)
        } else {
          assert.match(theirs.stdout + theirs.stderr, new RegExp(`ERROR! ${message}`))
          assert.equal(ours.code, 4, ours.stdout + ours.stderr)
          assert.match(ours.stderr, new RegExp(`pb\\.yml:6:7: ${message} \\(give the included tasks their keywords with apply:\\)`))
        }
      } finally {
        rmSync(d, { recursive: true, force: true })
      }
    }
  })
})
