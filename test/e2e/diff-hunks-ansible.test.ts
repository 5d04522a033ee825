/**
 * `--check --diff` hunks against Debian's ansible-playbook (local connection): the same `@@` ranges
 * and the same lines, as Python's difflib aligns them (geerlingguy.memcached's config with its
 * verbosity line emptied, where a Myers diff put the empty lines elsewhere; a one-line file; a last
 * line without a newline). acplay indents the diff under the task's result; Ansible prints it first.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const CONF = 'logfile /var/log/memcached.log\n{{ verbosity }}\n\n# Start with a cap of 64 megs of memory.\n-m {{ memory }}\n\n-p 11211\n'

const playbook = (d: string) => `- hosts: all
  gather_facts: false
  tasks:
    - template: { src: memcached.conf.j2, dest: ${d}/memcached.conf }
      vars: { verbosity: "", memory: 48 }
    - copy: { content: "deb [trusted=yes] http://10.231.0.1/ ./\\n", dest: ${d}/one.list }
    - copy: { content: "a\\nc", dest: ${d}/nonl }
`

/** The hunks of each diff in order: from each `@@` line up to the end of the hunk's lines. */
function hunks(out: string, indent: string): string[] {
  const lines = out.split('\n')
  const kept: string[] = []
  let inHunk = false
  for (const raw of lines) {
    if (!raw.startsWith(indent)) {
      inHunk = false
      continue
    }
    const l = raw.slice(indent.length)
    if (l.startsWith('@@ ')) inHunk = true
    else if (!/^[ +\-\\]/.test(l) || l.startsWith('--- ') || l.startsWith('+++ ')) inHunk = false
    if (inHunk) kept.push(l)
  }
  return kept
}

describe("--diff hunks as ansible-playbook's (difflib)", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('diff-hunks', {
      'memcached.conf.j2': CONF,
      'data/memcached.conf': CONF.replace('{{ verbosity }}', '-v').replace('{{ memory }}', '32'),
      'data/nonl': 'a\nb',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same ranges and lines', async () => {
    writeFileSync(join(dir, 'site.yml'), playbook(join(dir, 'data')))
    const args = [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '--check', '--diff']
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const theirHunks = hunks(theirs.stdout, '')
    assert.deepEqual(hunks(ours.stdout, '    '), theirHunks)
    assert.deepEqual(theirHunks, [
      '@@ -1,7 +1,7 @@',
      ' logfile /var/log/memcached.log',
      '--v',
      '+',
      ' ',
      ' # Start with a cap of 64 megs of memory.',
      '--m 32',
      '+-m 48',
      ' ',
      ' -p 11211',
      '@@ -0,0 +1 @@',
      '+deb [trusted=yes] http://10.231.0.1/ ./',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+c',
      '\\ No newline at end of file',
    ])
  })
})
