/**
 * --step, against Debian's ansible-playbook (local connection, answers piped on stdin): y runs the
 * task, n skips it on every host (no header, no result), c runs it and stops asking; an include
 * is asked about like a task; the input ending before an answer is a clear error.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - { name: one, debug: { msg: '1' } }
    - { name: two, debug: { msg: '2' } }
    - { name: three, include_tasks: inc.yml }
    - { name: four, debug: { msg: '4' } }
`
const INCLUDED = "- { name: inner, debug: { msg: 'inner' } }\n"

/** The prompts, task headers and debug messages of a run's output, in order. */
const shown = (out: string) => out.match(/Perform task: TASK: \w+ \(N\)o\/\(y\)es\/\(c\)ontinue: $|^TASK \[\w+\]|"msg": "\w+"/gm) ?? []

describe('--step as ansible-playbook --step (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('step', { 'site.yml': PLAYBOOK, 'inc.yml': INCLUDED })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('y runs, n skips, c runs and stops asking: the same tasks run', async () => {
    const args = ['--step', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const input = 'y\nn\nc\n'
    const [ours, theirs] = await Promise.all([
      acplay(['run', ...args], { cwd: dir, env, input }),
      capture(['ansible-playbook', ...args], { cwd: dir, env, input }),
    ])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // Ansible prints its prompt on stdout, then again as a banner; acplay asks on stderr, once
    const theirLines = shown(theirs.stdout.replace(/: \*+$/gm, ': ')).filter((l, i, all) => !(l.startsWith('Perform') && all[i - 1] === l))
    const ourLines = shown(`${ours.stderr}${ours.stdout}`.replace(/\r/g, ''))
    const order = (lines: string[]) => lines.filter((l) => !l.startsWith('Perform'))
    assert.deepEqual(order(ourLines), order(theirLines))
    assert.deepEqual(order(ourLines), ['TASK [one]', '"msg": "1"', 'TASK [three]', 'TASK [inner]', '"msg": "inner"', 'TASK [four]', '"msg": "4"'])
    assert.equal(ourLines.filter((l) => l.startsWith('Perform')).length, 3)
    assert.equal(theirLines.filter((l) => l.startsWith('Perform')).length, 3)
  })

  it('input that ends before an answer is an error naming the task', async () => {
    const r = await acplay(['run', '--step', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')], { cwd: dir, input: 'y\n' })
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /--step: the input ended before an answer for task 'two'/)
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr)
  })
})
