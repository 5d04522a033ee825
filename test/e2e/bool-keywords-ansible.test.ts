/**
 * Boolean keywords given as a template that renders no boolean, against Debian's ansible-playbook
 * (three local hosts). On a task (or inherited from the play) each fails the task on every host
 * that gets past `when`, in Ansible's words: no_log, check_mode, diff and become as its PlayContext
 * says it (no file context, the error twice; no_log's result censored), the others with the task's
 * file context. Where Ansible's strategy reads a keyword unrendered, a template is truthy whatever it
 * renders: a failed ignore_errors is ignored, any_errors_fatal ("{{ false }}" too) ends the play. A
 * play's gather_facts or force_handlers stops the run before the play starts (ERROR!, exit 4).
 * A dynamic include is checked for its PlayContext's keywords alone (no_log; become, check_mode, diff
 * from its block or play), never for ignore_errors or run_once; a meta task for none.
 * run_once: run-once-values-ansible.test.ts.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { CENSORED } from '../../engine/report/format.js'
import { localPlaybookDir, runBoth, sameBooleans, sameStatusesAndRecap } from '../helpers/local-both.js'

const INVENTORY = 'a ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n'
// fails on a alone, so a valid value's effect shows too (ignored, fatal, censored)
const FAILS_ON_A = `command: "{{ '/bin/false' if inventory_hostname == 'a' else '/bin/true' }}"`

const taskPlay = (key: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: before
      debug: { msg: before }
    - name: kw
      ${FAILS_ON_A}
      ${key}: "{{ v }}"
    - name: after
      debug: { msg: after }
`

const playPlay = (key: string) => `- hosts: all
  gather_facts: false
  ${key}: "{{ v }}"
  tasks:
    - name: kw
      ${FAILS_ON_A}
    - name: after
      debug: { msg: after }
- hosts: all
  gather_facts: false
  tasks:
    - name: second
      debug: { msg: second }
`

// the playbook, the value of `v` (-e as JSON), and what Ansible 2.14 was seen to do with it
const CASES: [string, string, string][] = [
  ['task-ignore_errors.yml', '"maybe"', 'every host fails, ignored (unrendered, the template is truthy)'],
  ['task-ignore_errors.yml', '""', 'every host fails, ignored'],
  ['task-ignore_errors.yml', '"No"', 'a fails'],
  ['task-ignore_errors.yml', '"Yes"', 'a fails, ignored'],
  ['task-ignore_unreachable.yml', '"maybe"', 'every host fails'],
  ['task-ignore_unreachable.yml', '""', 'every host fails'],
  ['task-check_mode.yml', '"maybe"', 'every host fails (PlayContext: no file context)'],
  ['task-check_mode.yml', '"off"', 'a fails'],
  ['task-diff.yml', '"maybe"', 'every host fails (PlayContext)'],
  ['task-diff.yml', '""', 'every host fails (PlayContext)'],
  ['task-no_log.yml', '"maybe"', 'every host fails, censored'],
  ['task-no_log.yml', '""', 'every host fails, censored'],
  ['task-no_log.yml', '"Yes"', 'a fails, censored'],
  ['task-delegate_facts.yml', '"maybe"', 'every host fails'],
  ['task-delegate_facts.yml', '0', 'a fails'],
  ['task-any_errors_fatal.yml', '"maybe"', 'every host fails, the play ends'],
  ['task-any_errors_fatal.yml', '""', 'every host fails, the play ends'],
  ['task-any_errors_fatal.yml', 'false', 'a fails, the play ends: the template is truthy unrendered'],
  ['task-become.yml', '"maybe"', 'every host fails (PlayContext)'],
  ['task-become.yml', '""', 'every host fails (PlayContext)'],
  ['task-become.yml', '"off"', 'a fails'],
  ['ignore-become.yml', '"maybe"', 'every host fails, ignored: ignore_errors is unrendered when become fails'],
  ['ignore-fatal.yml', '"maybe"', 'every host fails, not ignored: ignore_errors was rendered before any_errors_fatal'],
  ['play-any_errors_fatal.yml', '"maybe"', 'every task fails on every host, the play ends'],
  ['play-any_errors_fatal.yml', 'false', 'a fails, the play ends'],
  ['play-become.yml', '"maybe"', 'every host fails (PlayContext)'],
  ['play-become.yml', '""', 'every host fails (PlayContext)'],
  ['play-check_mode.yml', '"maybe"', 'every host fails (PlayContext)'],
  ['play-ignore_unreachable.yml', '""', 'every host fails'],
  ['play-ignore_unreachable.yml', '"No"', 'a fails; b and c go on to the second play'],
  ['play-gather_facts.yml', '"off"', 'a fails; no facts gathered'],
  ['play-force_handlers.yml', '"No"', 'a fails'],
  // dynamic includes, a module task and meta tasks in one play (what each does: INCLUDES_AND_META)
  ['includes-meta.yml', '"maybe"', 'includes: no_log censored, ignored; ignore_errors and run_once unchecked; meta: none checked'],
  ['includes-meta.yml', '""', 'the same, run_once falsy'],
]

const kw = (k: string, v = '"{{ v }}"') => `      ${k}: ${v}\n`
const task = (name: string, action: string, keywords = '') => `    - name: ${name}\n      ${action}\n${keywords}`
const INCLUDE_TASKS = 'include_tasks: inc.yml'
const INCLUDE_ROLE = 'include_role: { name: r }'
const BOOLS = ['ignore_errors', 'no_log', 'run_once', 'become', 'check_mode', 'diff', 'any_errors_fatal']
// every boolean keyword on a meta task (noop takes no when)
const meta = (name: string, action: string) => task(name, `meta: ${action}`, (action === 'noop' ? '' : kw('when', 'true')) + BOOLS.map((k) => kw(k)).join(''))
/**
 * Ansible's TaskExecutor returns a dynamic include before the task's own post_validate: only its
 * PlayContext's keywords fail it (no_log; become from its block), and ignore_errors, read unrendered,
 * takes that failure; its own ignore_errors and run_once are never checked (run_once's template is
 * truthy unrendered). Meta tasks never reach a TaskExecutor. The last include fails under run_once:
 * the play ends. The included file and role say `inner`.
 */
const INCLUDES_AND_META = [
  '- hosts: all\n  gather_facts: false\n  tasks:\n',
  task('module', 'command: /bin/true', kw('no_log') + kw('ignore_errors', '"{{ false }}"')),
  task('notify', 'command: /bin/true', kw('notify', 'h')),
  task('ignore_errors', INCLUDE_TASKS, kw('ignore_errors')),
  task('run_once', INCLUDE_ROLE, kw('run_once')),
  task('no_log', INCLUDE_TASKS, kw('no_log') + kw('ignore_errors', '"{{ false }}"')),
  task('role no_log', INCLUDE_ROLE, kw('no_log') + kw('ignore_errors', 'true')),
  task('loop no_log', INCLUDE_TASKS, kw('no_log') + kw('loop', '[1, 2]') + kw('ignore_errors', '"{{ false }}"')),
  `    - block:\n${task('become', INCLUDE_ROLE, kw('ignore_errors', 'true')).replace(/^(?=.)/gm, '    ')}${kw('become')}`,
  meta('flush', 'flush_handlers'),
  meta('noop', 'noop'),
  meta('clear', 'clear_facts'),
  meta('errors', 'clear_host_errors'),
  task('once', INCLUDE_TASKS, kw('no_log') + kw('run_once', 'true')),
  task('after', 'debug: { msg: after }'),
  '  handlers:\n    - name: h\n      debug: { msg: handler }\n',
].join('')

describe('boolean keywords as templates that render no boolean, as ansible-playbook (local)', () => {
  let dir = ''
  before(() => {
    const files: Record<string, string> = { 'hosts.ini': INVENTORY }
    for (const k of ['ignore_errors', 'ignore_unreachable', 'check_mode', 'diff', 'no_log', 'delegate_facts', 'any_errors_fatal', 'become'])
      files[`task-${k}.yml`] = taskPlay(k)
    for (const k of ['any_errors_fatal', 'become', 'check_mode', 'ignore_unreachable', 'gather_facts', 'force_handlers'])
      files[`play-${k}.yml`] = playPlay(k).replace('  gather_facts: false\n  gather_facts', '  gather_facts')
    files['ignore-become.yml'] = taskPlay('become').replace('      become:', '      ignore_errors: "{{ false }}"\n      become:')
    files['ignore-fatal.yml'] = taskPlay('any_errors_fatal').replace('      any_errors_fatal:', '      ignore_errors: "{{ false }}"\n      any_errors_fatal:')
    files['inc.yml'] = '- name: inner\n  debug: { msg: inner }\n'
    files['roles/r/tasks/main.yml'] = files['inc.yml']
    files['includes-meta.yml'] = INCLUDES_AND_META
    dir = localPlaybookDir('bool-keywords', files)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [file, v, seen] of CASES)
    it(`${file} v=${v}: ${seen}; the same statuses, messages, recap and exit code`, async () => {
      sameStatusesAndRecap(await runBoth(dir, [file, '-i', 'hosts.ini', '-e', `{"v": ${v}}`]))
    })

  it('a failure of a bad keyword under no_log: the censored line without "changed", as ansible-playbook prints it', async () => {
    const env = { ANSIBLE_CONFIG: `${dir}/ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const args = ['includes-meta.yml', '-i', 'hosts.ini', '-e', '{"v": "maybe"}']
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    const censored = (out: string) => out.split('\n').filter((l) => l.includes('"censored"'))
    assert.deepEqual(censored(ours.stdout).sort(), censored(theirs.stdout).sort())
    // the module task and three includes on each host, the run_once include on a
    const line = (h: string) => `fatal: [${h}]: FAILED! => {"censored": "${CENSORED}"}`
    assert.deepEqual(censored(ours.stdout), [...Array<string[]>(4).fill(['a', 'b', 'c'].map(line)).flat(), line('a')])
  })

  it("a play's gather_facts or force_handlers that renders no boolean stops the run before the play, in Ansible's words (exit 4)", async () => {
    const env = { ANSIBLE_CONFIG: `${dir}/ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    for (const [file, v] of [
      ['play-gather_facts.yml', '"maybe"'],
      ['play-force_handlers.yml', '""'],
    ] as const) {
      const args = [file, '-i', 'hosts.ini', '-e', `{"v": ${v}}`]
      const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
      assert.equal(ours.code, 4, ours.stdout + ours.stderr)
      assert.equal(theirs.code, 4, theirs.stdout + theirs.stderr)
      assert.equal(ours.stdout, '', 'no play header: the play never starts')
      const key = file.slice('play-'.length, -'.yml'.length)
      const message = (out: string) => String(sameBooleans(out.replace(/^ERROR! (E_PLAYBOOK: )?/, ''))).trim()
      assert.equal(message(ours.stderr), message(theirs.stderr))
      assert.match(ours.stderr, new RegExp(`^ERROR! E_PLAYBOOK: the field '${key}' has an invalid value \\(\\{\\{ v \\}\\}\\)`))
      assert.match(ours.stderr, new RegExp(`The error appears to be in '${dir}/${file}': line 1, column 3`))
    }
  })
})
