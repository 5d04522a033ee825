/**
 * The `diff` keyword against Debian's ansible-playbook (one local host): a play's (a template too)
 * reaches its tasks, a block's and a task's own win, with and without --diff; a task that runs in
 * diff mode registers a non-empty `diff` and prints it, one that does not neither (its `diff` is `[]`).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameOutputs, sameStatusesAndRecap } from '../helpers/local-both.js'

// each tool writes its own files: ansible-playbook runs with ANSIBLE_STDOUT_CALLBACK=json
const OUT = "{{ playbook_dir }}/{{ lookup('env', 'ANSIBLE_STDOUT_CALLBACK') or 'acplay' }}"

const write = (name: string, keyword = '') => `    - name: ${name}
      copy: { content: "${name}\\n", dest: "${OUT}/${name}" }
      register: ${name}${keyword}
`
const seen = (names: string[]) => names.map((n) => `    - name: seen ${n}\n      debug: { msg: "{{ ${n}.diff | length > 0 }}" }\n`).join('')

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - file: { path: "${OUT}", state: directory }
- hosts: localhost
  gather_facts: false
  diff: "{{ play_diff }}"
  vars: { play_diff: true }
  tasks:
${write('p1')}${write('p2', '\n      diff: false')}    - block:
${write('p3').replace(/^/gm, '    ')}      diff: false
${seen(['p1', 'p2', 'p3'])}- hosts: localhost
  gather_facts: false
  diff: false
  tasks:
${write('q1')}${write('q2', '\n      diff: true')}${seen(['q1', 'q2'])}`

describe('the diff keyword, as ansible-playbook', () => {
  const dir = localPlaybookDir('diff-keyword', { 'site.yml': PLAYBOOK })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const cli of [[], ['--diff']]) {
    it(`a play's reaches its tasks, a block's and a task's own win ${cli.length ? 'with' : 'without'} --diff`, async () => {
      for (const out of ['acplay', 'json']) rmSync(join(dir, out), { recursive: true, force: true })
      const both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml', ...cli])
      sameStatusesAndRecap(both)
      assert.deepEqual(sameOutputs(both), { 'seen p1': true, 'seen p2': false, 'seen p3': false, 'seen q1': false, 'seen q2': true })
    })
  }

  it('the diff of a task in diff mode is printed, with no --diff', async () => {
    rmSync(join(dir, 'acplay'), { recursive: true, force: true })
    const r = await acplay(['run', '-i', 'hosts.ini', 'site.yml'], { cwd: dir })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const shown = (name: string) => new RegExp(`^\\s*\\+${name}$`, 'm').test(r.stdout)
    assert.deepEqual(
      ['p1', 'p2', 'p3', 'q1', 'q2'].map((n) => [n, shown(n)]),
      [
        ['p1', true],
        ['p2', false],
        ['p3', false],
        ['q1', false],
        ['q2', true],
      ],
    )
  })
})
