/**
 * An owner or group the host does not know, against Debian's ansible-playbook on localhost: each
 * tool runs the same play in its own directory; the failures must be Ansible's (msg, path, the
 * path's add_path_info fields, copy's checksum, not changed) and the trees left on disk the same
 * (the first missing directory made, copy's and lineinfile's content written, touch's new file gone).
 */
import assert from 'node:assert/strict'
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture, type CliResult } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const task = (name: string, module: string, args: string) => `    - { name: ${name}, ${module}: { ${args} }, ignore_errors: true }\n`
const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
${[
  task('file', 'file', 'path: "{{ d }}/f", state: file, owner: nosuchu'),
  task('file-group', 'file', 'path: "{{ d }}/f", state: file, owner: "{{ me }}", group: nosuchg, mode: "0600"'),
  task('file-both', 'file', 'path: "{{ d }}/f", owner: nosuchu, group: nosuchg'),
  task('dir-parents', 'file', 'path: "{{ d }}/a/b/c", state: directory, owner: nosuchu, mode: "0700"'),
  task('dir-parents-group', 'file', 'path: "{{ d }}/g/h", state: directory, owner: "{{ me }}", group: nosuchg'),
  task('dir', 'file', 'path: "{{ d }}/dir", state: directory, owner: nosuchu'),
  task('recurse', 'file', 'path: "{{ d }}/dir", state: directory, recurse: true, group: nosuchg'),
  task('touch-new', 'file', 'path: "{{ d }}/t", state: touch, owner: nosuchu, mode: "0600"'),
  task('touch', 'file', 'path: "{{ d }}/f", state: touch, group: nosuchg'),
  task('link', 'file', 'path: "{{ d }}/ln", src: "{{ d }}/f", state: link, owner: nosuchu'),
  task('link-nofollow', 'file', 'path: "{{ d }}/ln2", src: "{{ d }}/f", state: link, follow: false, owner: nosuchu'),
  task('hard', 'file', 'path: "{{ d }}/hl", src: "{{ d }}/f", state: hard, owner: nosuchu'),
  task('copy-new', 'copy', 'dest: "{{ d }}/c1", content: "hi\\n", owner: nosuchu, mode: "0600"'),
  task('copy', 'copy', 'dest: "{{ d }}/c2", content: "new\\n", owner: nosuchu'),
  task('copy-same', 'copy', 'dest: "{{ d }}/c2", content: "new\\n", group: nosuchg'),
  task('template', 'template', 'dest: "{{ d }}/tp", src: tp.j2, owner: nosuchu'),
  task('lineinfile', 'lineinfile', 'path: "{{ d }}/li", line: b, owner: nosuchu'),
  task('lineinfile-same', 'lineinfile', 'path: "{{ d }}/li", line: b, group: nosuchg'),
  task('lineinfile-create', 'lineinfile', 'path: "{{ d }}/li2", line: a, create: true, owner: nosuchu'),
].join('')}`

/** Each failure line's JSON with its keys sorted (acplay prints msg first), the tool's own directory named D. */
function failures(out: string, root: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('fatal: '))
    .map((l) => JSON.parse(l.slice(l.indexOf(' => {') + 4).replaceAll(root, 'D')) as Record<string, unknown>)
    .map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))
}

/** Every entry under `root`: owner, mode, links, and a file's text or a link's target. */
function tree(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel))
    .sort()
    .flatMap((name) => {
      const p = join(root, rel, name)
      const st = lstatSync(p)
      const what = st.isSymbolicLink() ? `-> ${readlinkSync(p).replace(root, 'D')}` : st.isDirectory() ? 'dir' : JSON.stringify(readFileSync(p, 'utf8'))
      const line = `${join(rel, name)} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${st.nlink} ${what}`
      return st.isDirectory() ? [line, ...tree(root, join(rel, name))] : [line]
    })
}

describe('an unknown owner or group, as ansible-playbook fails on it', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('owner-lookup', { 'site.yml': PLAYBOOK, 'tp.j2': 'two={{ 1 + 1 }}\n' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** The play run by `tool` in its own directory: its output and what it left there. */
  async function run(tool: 'acplay' | 'ansible'): Promise<{ r: CliResult; root: string; tree: string[] }> {
    // names of one length: a symlink's size is its target's
    const root = join(dir, tool === 'acplay' ? 'acplay' : 'theirs')
    mkdirSync(join(root, 'dir'), { recursive: true })
    for (const [f, text] of [
      ['f', 'old\n'],
      ['c2', 'old\n'],
      ['li', 'a\n'],
    ] as const)
      writeFileSync(join(root, f), text)
    const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const args = ['site.yml', '-i', 'hosts.ini', '-e', `d=${root}`, '-e', `me=${userInfo().username}`]
    const r = tool === 'acplay' ? await acplay(['run', ...args], { cwd: dir, env }) : await capture(['ansible-playbook', ...args], { cwd: dir, env })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    return { r, root, tree: tree(root) }
  }

  it("fails with Ansible's words, keys and status, and leaves the same tree", async () => {
    const [ours, theirs] = await Promise.all([run('acplay'), run('ansible')])
    const expected = failures(theirs.r.stdout, theirs.root)
    assert.equal(expected.length, 19, theirs.r.stdout)
    assert.deepEqual(failures(ours.r.stdout, ours.root), expected)
    assert.deepEqual(ours.tree, theirs.tree)
    assert.match(theirs.r.stdout, /"msg": "chown failed: failed to look up user nosuchu", "owner": "\w+", "path": "[^"]*\/theirs\/a", /)
    assert.match(theirs.r.stdout, /"msg": "chgrp failed: failed to look up group nosuchg"/)
  })
})
