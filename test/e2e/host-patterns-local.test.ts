/**
 * What both tools say of the hosts they target, against Debian's ansible-playbook (local
 * connection): a part of a play's `hosts` that matches nothing warns ("Could not match supplied
 * host pattern, ignoring: X") and the play runs on the rest; a play matching nothing says
 * `skipping: no hosts matched`; a --limit that leaves no host ends the run with exit 1 (acplay ran
 * every play on nothing and exited 0); host_pattern_mismatch = error makes the warning fatal; an
 * inventory without hosts warns that only the implicit localhost is there.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: web:dbservrs
  gather_facts: false
  tasks:
    - { name: on web, debug: { msg: web } }
- hosts: nothere
  gather_facts: false
  tasks:
    - { name: never, debug: { msg: never } }
- hosts: localhost
  gather_facts: false
  tasks:
    - { name: local, debug: { msg: local } }
`

/** The warnings, errors, play headers, skip lines and task headers of a run, in order, one line each. */
function said(r: { stdout: string; stderr: string }): string[] {
  const text = `${r.stderr}\n${r.stdout}`.replace(/\n(?!\[|PLAY|TASK|skipping|ERROR|ok:|fatal|\n| )/g, ' ')
  return (text.match(/^(\[WARNING\]: .*|ERROR! .*|PLAY \[[^\]]*\]|skipping: no hosts matched|TASK \[[^\]]*\])/gm) ?? [])
    .map((l) =>
      l
        .replace(/ \*+$/, '')
        .replace(/^ERROR! E_NO_HOSTS: /, 'ERROR! ')
        .replace(/ \(--limit [^)]*\)$/, '.'),
    )
    .sort()
}

describe('host patterns that match nothing, as ansible-playbook says it (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('host-patterns', { 'site.yml': PLAYBOOK, 'web.ini': '[web]\nlocalhost ansible_connection=local\n', 'empty.ini': '' })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [what, args, env, code] of [
    ['a typo in a pattern, a play on nothing', ['-i', 'web.ini'], {}, 0],
    ['a limit that leaves no host', ['-i', 'web.ini', '--limit', 'nothere'], {}, 1],
    ['a limit with a part that matches nothing', ['-i', 'web.ini', '--limit', 'localhost:nothere'], {}, 0],
    ['host_pattern_mismatch = error', ['-i', 'web.ini'], { ANSIBLE_HOST_PATTERN_MISMATCH: 'error' }, 1],
    ['an inventory without hosts', ['-i', 'empty.ini'], {}, 0],
  ] as const) {
    it(`${what}: the same lines and exit code`, async () => {
      const e = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ...env }
      const [ours, theirs] = await Promise.all([
        acplay(['run', 'site.yml', ...args], { cwd: dir, env: e }),
        capture(['ansible-playbook', 'site.yml', ...args], { cwd: dir, env: e }),
      ])
      assert.equal(theirs.code, code, theirs.stdout + theirs.stderr)
      assert.equal(ours.code, code, ours.stdout + ours.stderr)
      assert.deepEqual(said(ours), said(theirs))
    })
  }
})
