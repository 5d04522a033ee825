/**
 * What file, copy, template and lineinfile register, against Debian's ansible-playbook with
 * ansible_connection=local: the same playbook in two fresh directories; each registered value must
 * have Ansible's keys and values (add_path_info's uid, gid, owner, group, mode, state and size; dest
 * or path by state; copy's checksum and md5sum; lineinfile's backup; the `diff` of each, with and
 * without the task's diff mode), and the recap the same counts.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const TASKS: [name: string, task: string][] = [
  ['dir_new', 'file: { path: "{{ d }}/dir", state: directory, mode: "0750" }'],
  ['dir_same', 'file: { path: "{{ d }}/dir", state: directory, mode: "0750" }'],
  ['touched', 'file: { path: "{{ d }}/t", state: touch }'],
  ['file_mode', 'file: { path: "{{ d }}/t", mode: "0600" }'],
  // owner and group in the diff as numeric ids
  ['file_owner', 'file: { path: "{{ d }}/t", owner: nobody, group: nogroup }'],
  ['file_owner_back', 'file: { path: "{{ d }}/t", owner: root, group: "0" }'],
  ['link_new', 'file: { path: "{{ d }}/l", src: "{{ d }}/t", state: link }'],
  ['hard_new', 'file: { path: "{{ d }}/h", src: "{{ d }}/t", state: hard }'],
  ['hard_same', 'file: { path: "{{ d }}/h", src: "{{ d }}/t", state: hard }'],
  ['link_stat', 'file: { path: "{{ d }}/l" }'],
  ['absent', 'file: { path: "{{ d }}/h", state: absent }'],
  ['absent_same', 'file: { path: "{{ d }}/h", state: absent }'],
  // a leading ~ / ~user expanded on the host, as Ansible's type='path' check does (nobody's home is /nonexistent)
  ['home_absent', 'file: { path: "~/.acplay-file-results-none", state: absent }'],
  ['user_home_absent', 'file: { path: "~nobody/.rhosts", state: absent }'],
  ['recurse_same', 'file: { path: "{{ d }}/dir", state: directory, recurse: true, mode: "0750" }'],
  ['copy_new', 'copy: { src: src.txt, dest: "{{ d }}/c", mode: "0640" }'],
  ['copy_same', 'copy: { src: src.txt, dest: "{{ d }}/c", mode: "0640" }'],
  ['copy_mode', 'copy: { src: src.txt, dest: "{{ d }}/c", mode: "0600" }'],
  ['copy_owner', 'copy: { src: src.txt, dest: "{{ d }}/c", owner: nobody }'],
  ['content_new', 'copy: { content: "x\\n", dest: "{{ d }}/x" }'],
  ['template_new', 'template: { src: t.j2, dest: "{{ d }}/tpl" }'],
  ['template_same', 'template: { src: t.j2, dest: "{{ d }}/tpl" }'],
  ['line_missing_file', 'lineinfile: { path: "{{ d }}/none", line: x, state: absent }'],
  ['line_added', 'lineinfile: { path: "{{ d }}/x", line: y }'],
  ['line_same', 'lineinfile: { path: "{{ d }}/x", line: y }'],
  ['line_backup', 'lineinfile: { path: "{{ d }}/x", line: z, backup: true }'],
  ['line_removed', 'lineinfile: { path: "{{ d }}/x", line: x, state: absent }'],
  ['line_mode', 'lineinfile: { path: "{{ d }}/x", line: y, mode: "0600" }'],
  // the texts are in the diff only under diff mode
  ['diff_copy', 'copy: { content: "1\\n", dest: "{{ d }}/x" }\n      diff: true'],
  ['diff_template', 'template: { src: t.j2, dest: "{{ d }}/tpl2", mode: "0600" }\n      diff: true'],
  ['diff_line', 'lineinfile: { path: "{{ d }}/x", line: "2" }\n      diff: true'],
  ['diff_block', 'blockinfile: { path: "{{ d }}/x", block: "3" }\n      diff: true'],
  // unchanged, or the mode alone: Ansible's still hold the file's text twice
  ['diff_line_same', 'lineinfile: { path: "{{ d }}/x", line: "2" }\n      diff: true'],
  ['diff_line_mode', 'lineinfile: { path: "{{ d }}/x", line: "2", mode: "0640" }\n      diff: true'],
  ['diff_block_same', 'blockinfile: { path: "{{ d }}/x", block: "3" }\n      diff: true'],
]

const playbook = (d: string) => `- hosts: all
  gather_facts: false
  vars: { d: ${JSON.stringify(d)} }
  tasks:
${TASKS.map(([name, task]) => `    - ${task}\n      register: ${name}\n`).join('')}    - debug: { msg: "{{ [${TASKS.map(([n]) => n).join(', ')}] | to_json }}" }
`

type Registered = Record<string, unknown>

/**
 * Interpreter discovery aside, copy's remote temp file and the backup's name (Ansible's holds the
 * module's pid) by shape; in the diff, copy's and template's `after_header` (Ansible's names its local
 * temp file) and touch's times (deliberate differences, docs/compat.md).
 */
function comparable(r: Registered, d: string): Registered {
  const { ansible_facts: _facts, src, backup, ...rest } = r
  const out: Registered = JSON.parse(JSON.stringify(rest).replaceAll(d, 'D'))
  const diff = out.diff as Registered | Registered[] | undefined
  for (const entry of Array.isArray(diff) ? diff : [])
    if ('after_header' in entry && !String(entry.after_header).startsWith('D')) entry.after_header = 'its source'
  for (const side of Array.isArray(diff) || !diff ? [] : [diff.before as Registered, diff.after as Registered]) {
    delete side.mtime
    delete side.atime
  }
  if (src !== undefined && !('md5sum' in r)) out.src = String(src).replaceAll(d, 'D')
  if (backup !== undefined) out.backup = backup === '' ? '' : /^.+\/x\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/.test(String(backup)) ? 'a backup' : backup
  return out
}

/** The debug task's list, registered values in TASKS' order. */
function registered(stdout: string): Registered[] {
  const m = /"msg": (".*")\s*$/m.exec(stdout)
  assert.ok(m, stdout)
  return JSON.parse(JSON.parse(m[1]!) as string) as Registered[]
}

describe("file, copy, template and lineinfile register what Ansible's do", () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-file-ansible-'))
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n')
    writeFileSync(join(dir, 'src.txt'), 'hi\n')
    writeFileSync(join(dir, 't.j2'), 'v={{ 1 + 1 }}\n')
    // names of one length: a link's size is its target's
    for (const tool of ['ours', 'ansi']) {
      mkdirSync(join(dir, tool))
      writeFileSync(join(dir, `${tool}.yml`), playbook(join(dir, tool)))
    }
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same keys and values, and the same recap', async () => {
    const [ours, theirs] = await Promise.all([
      acplay(['run', join(dir, 'ours.yml'), '-i', join(dir, 'hosts.ini')], { cwd: dir }),
      capture(['ansible-playbook', '-i', join(dir, 'hosts.ini'), join(dir, 'ansi.yml')], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1' } }),
    ])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, `ansible-playbook (Debian's ansible, scripts/setup-test-deps.sh) failed: ${theirs.stdout}${theirs.stderr}`)
    const mine = registered(ours.stdout)
    const ansible = registered(theirs.stdout)
    for (const [i, [name]] of TASKS.entries()) {
      assert.deepEqual(comparable(mine[i]!, join(dir, 'ours')), comparable(ansible[i]!, join(dir, 'ansi')), name)
    }
    assert.equal(mine[TASKS.findIndex(([n]) => n === 'user_home_absent')]!.path, '/nonexistent/.rhosts')
    const recap = (s: string) => /localhost\s+:\s+(ok=.*)$/m.exec(s)?.[1]?.trim()
    assert.equal(recap(ours.stdout), recap(theirs.stdout))
  })
})
