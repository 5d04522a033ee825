/**
 * Where a local task runs, against Debian's ansible-playbook: Ansible runs a local (or delegated-to-
 * localhost) task's commands in the play's directory, not its own working directory, and its
 * modules take a relative `path` from there (robertdebock.users keeps its generated keys in
 * `ssh_keys` so). Each tool runs its own copy of the playbook, from the directory above; the
 * registered values, what ended up on disk and the recap must be the same.
 */
import assert from 'node:assert/strict'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture, recapLine } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const playbook = `- hosts: all
  gather_facts: false
  tasks:
    - { name: here, command: pwd, register: here }
    - { name: made, file: { path: keys/one, state: directory, mode: "0750" }, register: made }
    - { name: again, file: { path: keys/one/, state: directory, mode: "0750" }, register: again }
    - { name: touched, file: { path: ./keys/one/../f, state: touch, mode: "0600" }, register: touched }
    - { name: seen, stat: { path: keys/f }, register: seen }
    - { name: gone, file: { path: keys/f, state: absent }, register: gone }
    - { name: unseen, stat: { path: keys/f }, register: unseen }
    - debug:
        msg: "{{ {'here': here.stdout == playbook_dir, 'made': [made.changed, made.path, made.mode], 'again': [again.changed, again.path], 'touched': [touched.changed, touched.dest],
          'seen': [seen.stat.exists, seen.stat.path, seen.stat.mode], 'gone': [gone.changed, gone.path], 'unseen': unseen.stat.exists} | to_json }}"
`

const seen = (stdout: string) => {
  const m = /"msg": (".*")\s*$/m.exec(stdout)
  assert.ok(m, stdout)
  return JSON.parse(JSON.parse(m[1]!) as string) as Record<string, unknown>
}

/** Every path below `dir` with its mode. */
const tree = (dir: string, base = dir): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n)
      const s = statSync(p)
      return [`${p.slice(base.length)} ${(s.mode & 0o7777).toString(8)}`, ...(s.isDirectory() ? tree(p, base) : [])]
    })

describe('relative paths of file and stat, from the working directory as ansible-playbook takes them (local connection)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('relative-paths', { 'ours/play.yml': playbook, 'ansi/play.yml': playbook })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same registered values, end state and recap', async () => {
    const args = (tool: string) => ['-i', join(dir, 'hosts.ini'), join(dir, tool, 'play.yml')]
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' }
    const [ours, theirs] = await Promise.all([
      acplay(['run', ...args('ours')], { cwd: dir, env }),
      capture(['ansible-playbook', ...args('ansi')], { cwd: dir, env: { ...env, ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' } }),
    ])
    assert.equal(theirs.code, 0, `ansible-playbook failed: ${theirs.stdout}${theirs.stderr}`)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const mine = seen(ours.stdout)
    assert.deepEqual(mine, seen(theirs.stdout))
    // what both did, spelled out: the paths as given, the files under each tool's own directory
    assert.equal(mine.here, true)
    assert.deepEqual(mine.made, [true, 'keys/one', '0750'])
    assert.deepEqual(mine.again, [false, 'keys/one/'])
    assert.deepEqual(mine.seen, [true, 'keys/f', '0600'])
    assert.deepEqual(mine.gone, [true, 'keys/f'])
    assert.deepEqual(tree(join(dir, 'ours')), ['/keys 750', '/keys/one 750', '/play.yml 644'])
    assert.deepEqual(tree(join(dir, 'ours')), tree(join(dir, 'ansi')))
    assert.equal(recapLine(ours.stdout, 'localhost'), recapLine(theirs.stdout, 'localhost'))
  })
})
