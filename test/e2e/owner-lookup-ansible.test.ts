/**
 * An owner or group the host does not know, against Debian's ansible-playbook on localhost: each
 * tool runs the same play in its own directory; the failures must be Ansible's (msg, path, the
 * path's add_path_info fields, copy's checksum, not changed) and the trees left on disk the same
 * (the first missing directory made, copy's and lineinfile's content written, touch's new file gone).
 * A relative file path is named as given; copy's remote_src fails after the move. In check mode
 * (a second play, on a tree of its own) the task fails where the path exists and is predicted
 * changed where it does not (copy and template: only an unchanged content is looked up), with the
 * file module's warnings; nothing changes on disk.
 */
import assert from 'node:assert/strict'
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { basename, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture, recapLine, type CliResult } from '../helpers/cli.js'
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
  // relative to the working directory: the failure names it as given
  task('relative', 'file', 'path: "{{ rel }}/f", owner: nosuchu'),
  task('relative-dir', 'file', 'path: "{{ rel }}/r/s", state: directory, group: nosuchg'),
  task('remote-src-new', 'copy', 'src: "{{ d }}/f", dest: "{{ d }}/rs1", remote_src: true, owner: nosuchu, mode: "0600"'),
  task('remote-src', 'copy', 'src: "{{ d }}/li", dest: "{{ d }}/rs2", remote_src: true, owner: "{{ me }}", group: nosuchg'),
  task('remote-src-same', 'copy', 'src: "{{ d }}/f", dest: "{{ d }}/f3", remote_src: true, owner: nosuchu'),
].join('')}`

// check mode: the paths each task names exist (f, dir, ln, c2, tp, li, f3) or not (t, x/y, c1, tp2, li2, rs1)
const CHECK_PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
${[
  task('file', 'file', 'path: "{{ d }}/f", owner: nosuchu'),
  task('file-group', 'file', 'path: "{{ d }}/f", owner: "{{ me }}", group: nosuchg'),
  task('dir', 'file', 'path: "{{ d }}/dir", state: directory, owner: nosuchu'),
  task('recurse', 'file', 'path: "{{ d }}/dir", state: directory, recurse: true, group: nosuchg'),
  task('dir-new', 'file', 'path: "{{ d }}/x/y", state: directory, owner: nosuchu'),
  task('touch-new', 'file', 'path: "{{ d }}/t", state: touch, owner: nosuchu'),
  task('link', 'file', 'path: "{{ d }}/ln", src: "{{ d }}/f", state: link, owner: nosuchu'),
  task('link-nofollow', 'file', 'path: "{{ d }}/ln", src: "{{ d }}/f", state: link, follow: false, owner: nosuchu'),
  task('relative', 'file', 'path: "{{ rel }}/f", owner: nosuchu'),
  task('absent', 'file', 'path: "{{ d }}/gone", state: absent, owner: nosuchu'),
  task('copy-same', 'copy', 'dest: "{{ d }}/c2", content: "old\\n", owner: nosuchu'),
  task('copy', 'copy', 'dest: "{{ d }}/c2", content: "new\\n", owner: nosuchu'),
  task('copy-new', 'copy', 'dest: "{{ d }}/c1", content: "new\\n", owner: nosuchu'),
  task('template-same', 'template', 'dest: "{{ d }}/tp", src: tp.j2, group: nosuchg'),
  task('template', 'template', 'dest: "{{ d }}/c2", src: tp.j2, owner: nosuchu'),
  task('template-new', 'template', 'dest: "{{ d }}/tp2", src: tp.j2, owner: nosuchu'),
  task('lineinfile-same', 'lineinfile', 'path: "{{ d }}/li", line: a, owner: nosuchu'),
  task('lineinfile', 'lineinfile', 'path: "{{ d }}/li", line: b, group: nosuchg'),
  task('lineinfile-create', 'lineinfile', 'path: "{{ d }}/li2", line: a, create: true, owner: nosuchu'),
  task('remote-src-same', 'copy', 'src: "{{ d }}/f", dest: "{{ d }}/f3", remote_src: true, owner: nosuchu'),
  task('remote-src', 'copy', 'src: "{{ d }}/li", dest: "{{ d }}/f3", remote_src: true, owner: nosuchu'),
  task('remote-src-new', 'copy', 'src: "{{ d }}/f", dest: "{{ d }}/rs1", remote_src: true, owner: nosuchu'),
].join('')}`

/** Each failure line's JSON with its keys sorted (acplay prints msg first), the tool's own directory named D (R when relative). */
function failures(out: string, root: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('fatal: '))
    .map(
      (l) =>
        JSON.parse(
          l
            .slice(l.indexOf(' => {') + 4)
            .replaceAll(root, 'D')
            .replaceAll(`"${basename(root)}/`, '"R/'),
        ) as Record<string, unknown>,
    )
    .map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))
}

/** The distinct warnings a run printed (Ansible's wrapped lines joined). */
const warnings = (r: CliResult): string[] =>
  [...new Set([...`${r.stdout}\n${r.stderr}`.replace(/\s+/g, ' ').matchAll(/\[WARNING\]: (failed to look up .*?real play)/g)].map((m) => m[1]!))].sort()

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
    dir = localPlaybookDir('owner-lookup', { 'site.yml': PLAYBOOK, 'check.yml': CHECK_PLAYBOOK, 'tp.j2': 'two={{ 1 + 1 }}\n' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** The play run by `tool` in its own directory: its output and what it left there. */
  async function run(tool: 'acplay' | 'ansible', check = false): Promise<{ r: CliResult; root: string; tree: string[] }> {
    // names of one length: a symlink's size is its target's
    const name = `${tool === 'acplay' ? 'acplay' : 'theirs'}${check ? '-c' : ''}`
    const root = join(dir, name)
    mkdirSync(join(root, 'dir'), { recursive: true })
    for (const [f, text] of [
      ['f', 'old\n'],
      ['c2', 'old\n'],
      ['li', 'a\n'],
      ['f3', 'old\n'],
      ['tp', 'two=2\n'],
    ] as const)
      writeFileSync(join(root, f), text)
    if (check) symlinkSync(join(root, 'f'), join(root, 'ln'))
    const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const play = check ? ['check.yml', '--check'] : ['site.yml']
    const args = [...play, '-i', 'hosts.ini', '-e', `d=${root}`, '-e', `rel=${name}`, '-e', `me=${userInfo().username}`]
    const r = tool === 'acplay' ? await acplay(['run', ...args], { cwd: dir, env }) : await capture(['ansible-playbook', ...args], { cwd: dir, env })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    return { r, root, tree: tree(root) }
  }

  it("fails with Ansible's words, keys and status, and leaves the same tree", async () => {
    const [ours, theirs] = await Promise.all([run('acplay'), run('ansible')])
    const expected = failures(theirs.r.stdout, theirs.root)
    assert.equal(expected.length, 24, theirs.r.stdout)
    assert.deepEqual(failures(ours.r.stdout, ours.root), expected)
    assert.deepEqual(ours.tree, theirs.tree)
    assert.equal(recapLine(ours.r.stdout, 'localhost'), recapLine(theirs.r.stdout, 'localhost'))
    assert.match(theirs.r.stdout, /"path": "R\/f"|"path": "theirs\/f"/)
    assert.match(theirs.r.stdout, /"msg": "chown failed: failed to look up user nosuchu", "owner": "\w+", "path": "[^"]*\/theirs\/a", /)
    assert.match(theirs.r.stdout, /"msg": "chgrp failed: failed to look up group nosuchg"/)
  })

  it('check mode: fails where the path exists, predicts the change where it does not, warns as the file module does; changes nothing', async () => {
    const [ours, theirs] = await Promise.all([run('acplay', true), run('ansible', true)])
    const expected = failures(theirs.r.stdout, theirs.root)
    assert.equal(expected.length, 13, theirs.r.stdout)
    assert.deepEqual(failures(ours.r.stdout, ours.root), expected)
    assert.equal(recapLine(ours.r.stdout, 'localhost'), recapLine(theirs.r.stdout, 'localhost'))
    assert.deepEqual(warnings(ours.r), warnings(theirs.r))
    assert.deepEqual(warnings(theirs.r), [
      'failed to look up group nosuchg. Create group up to this point in real play',
      'failed to look up user nosuchu. Create user up to this point in real play',
    ])
    assert.deepEqual(ours.tree, theirs.tree)
  })
})
