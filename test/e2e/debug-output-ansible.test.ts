/**
 * What `debug` prints, against Debian's ansible-playbook (ansible_connection=local): a variable and a
 * message holding nested mappings and lists, non-ASCII text, numbers and booleans, printed as the
 * default callback dumps them (json.dumps: keys sorted at every level, indent 4, non-ASCII kept).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    d: { zeta: 1, alpha: { c: true, b: [2, "é"] }, mid: [3, { y: null, x: "two" }], "Upper": -1 }
  tasks:
    - debug: var=d
    - debug: { msg: "{{ d }}" }
    - debug: { msg: [b, a] }
    - assert: { that: [d.zeta == 1] }
`

/** The `ok: [...] => {` blocks, each to its closing brace. */
const blocks = (out: string) => [...out.matchAll(/^ok: \[localhost\] => \{\n[\s\S]*?\n\}$/gm)].map((m) => m[0])

describe('debug prints what ansible-playbook prints', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-debug-'))
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same blocks, key for key', async () => {
    const args = ['-i', join(dir, 'hosts.ini'), join(dir, 'site.yml')]
    const [ours, theirs] = await Promise.all([
      acplay(['run', ...args], { cwd: dir }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1' } }),
    ])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(blocks(theirs.stdout).length, 4)
    assert.deepEqual(blocks(ours.stdout), blocks(theirs.stdout))
  })
})
