/**
 * `run_once` as a template, against Debian's ansible-playbook (three local hosts): the strategy
 * runs the task once when the rendered value is truthy in Python ("x", and "no" too), on every host
 * when it is not (""); then each host that runs it fails it when the value is no boolean, in
 * Ansible's words with its file context, and a failed run_once ends the play (NO MORE HOSTS LEFT,
 * exit 2). Under the free strategy every host runs it (a warning when truthy) and each fails alone.
 * The same statuses per task and host, messages, recap, exit code and headings from both tools.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameBooleans, sameStatusesAndRecap } from '../helpers/local-both.js'

const INVENTORY = 'a ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n'

const play = (strategy: string, first = '') => `- hosts: all
  gather_facts: false
  strategy: ${strategy}
  tasks:${first}
    - name: once
      debug: { msg: once }
      run_once: "{{ v }}"
    - name: after
      debug: { msg: after }
`

// the value of `v` (-e as JSON), the playbook, and what Ansible 2.14 was seen to do with it
const CASES: [string, string, string][] = [
  ['"x"', 'linear.yml', 'once on a, fails, the play ends'],
  ['"no"', 'linear.yml', 'once on a, runs'],
  ['""', 'linear.yml', 'every host fails'],
  ['true', 'linear.yml', 'once on a, runs'],
  ['false', 'linear.yml', 'every host runs'],
  // the message's file context: k=v on the line before (Ansible points there), a template on the task's line
  ['"x"', 'shorthand.yml', 'once on a, fails, the play ends'],
  ['""', 'flow.yml', 'every host fails'],
  ['"x"', 'free.yml', 'every host fails'],
  ['""', 'free.yml', 'every host fails'],
]

/**
 * The headings in order, each with its host lines up to `=>` (acplay prints a multi-line msg as a
 * block below, docs/compat.md) sorted: hosts report a task in the order they finish it.
 */
function lines(out: string): string[] {
  const blocks: string[][] = []
  for (const l of out.split('\n')) {
    if (/^(PLAY|TASK|NO MORE HOSTS LEFT)\b|^\[WARNING\]/.test(l)) blocks.push([l])
    else if (/^\S+: \[/.test(l)) blocks.at(-1)?.push(l.replace(/ => .*/, ''))
  }
  return blocks.flatMap(([head, ...hosts]) => [head!, ...hosts.sort()])
}

describe('run_once as a template that renders no boolean, as ansible-playbook (local)', () => {
  let dir = ''
  before(() => {
    // free: a failed run_once task marks every host failed, so which hosts reach it after another
    // task depends on timing there; as the first task every host has it queued (free.yml)
    const before = '\n    - name: before\n      debug: { msg: before }'
    dir = localPlaybookDir('run-once-values', {
      'hosts.ini': INVENTORY,
      'linear.yml': play('linear', before),
      'free.yml': play('free'),
      'shorthand.yml': play('linear', '\n    - name: before\n      debug: msg=before'),
      'flow.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: once, debug: { msg: once }, run_once: "{{ v }}" }\n',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [v, file, seen] of CASES)
    it(`v=${v} (${file}): ${seen}; the same statuses, messages, recap and exit code`, async () => {
      sameStatusesAndRecap(await runBoth(dir, [file, '-i', 'hosts.ini', '-e', `{"v": ${v}}`]))
    })

  it('the message is Ansible\'s, its file context too; "x" ends the play under NO MORE HOSTS LEFT, as ansible-playbook shows', async () => {
    const env = { ANSIBLE_CONFIG: `${dir}/ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    for (const [v, file] of CASES) {
      const args = [file, '-i', 'hosts.ini', '-e', `{"v": ${v}}`]
      const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
      assert.deepEqual(lines(ours.stdout + ours.stderr), lines(theirs.stdout + theirs.stderr), `${v} ${file}\n${ours.stdout}\n${theirs.stdout}`)
    }
    const { doc } = await runBoth(dir, ['linear.yml', '-i', 'hosts.ini', '-e', '{"v": "x"}'])
    const failed = doc.results.find((r) => r.status === 'failed')
    assert.equal(
      sameBooleans(failed?.msg),
      `the field 'run_once' has an invalid value ({{ v }}), and could not be converted to an bool.The error was: The value 'x' is not a valid boolean.  Valid booleans include: ...

The error appears to be in '${dir}/linear.yml': line 7, column 7, but may
be elsewhere in the file depending on the exact syntax problem.

The offending line appears to be:

      debug: { msg: before }
    - name: once
      ^ here
`,
    )
  })
})
