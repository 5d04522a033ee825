/**
 * Playbooks written for older Ansible, in the shape of ansible-examples' lamp_simple and
 * wordpress-nginx, against Debian's ansible-playbook (local): plays in playbooks/ imported by a
 * top site.yml, each with the old `user:`, tasks and handlers pulled in with `include:` (handlers
 * keeping the include's `when` and vars), group_vars/ beside the imported playbook (Ansible reads
 * those for its plays, not the top playbook's), `key=value` arguments with escapes
 * (`content="...\n"`), and a notification no handler answers (the run stops there, exit 1).
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const FILES = {
  'site.yml': '- import_playbook: playbooks/app.yml\n',
  'group_vars/all.yml': 'where: top\n',
  // each tool its own file (both run at once): ansible-playbook's run has ANSIBLE_STDOUT_CALLBACK=json
  'playbooks/group_vars/all.yml': `where: playbooks\nport: 3306\nlist_file: "{{ out }}/{{ lookup('env', 'ANSIBLE_STDOUT_CALLBACK') or 'acplay' }}.list"\n`,
  'playbooks/app.yml': `- hosts: all
  user: root
  gather_facts: false
  tasks:
    - include: ../roles/app/tasks/main.yml
  handlers:
    - include: ../roles/app/handlers/main.yml
      vars: { who: the include }
    - import_tasks: ../roles/app/handlers/never.yml
      when: false
`,
  'roles/app/tasks/main.yml': `- name: seen group_vars
  debug: msg="{{ where }} {{ port }}"
- name: a list file
  copy: content="deb [trusted=yes] http://repo ./\\n" dest={{ list_file }}
  notify: [restart app, never runs]
- name: seen content
  debug: msg="{{ lookup('file', list_file, rstrip=False) }}"
`,
  'roles/app/handlers/main.yml': `- name: restart app
  debug: msg="restarted by {{ who }}"
`,
  'roles/app/handlers/never.yml': `- name: never runs
  debug: msg=no
`,
  'missing.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: notifies nothing that exists
      command: "true"
      notify: restart nginx
    - name: not reached
      debug: msg=after
`,
}

describe('old-style playbooks: imported plays, include in handlers, group_vars beside them (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('old-playbooks', FILES)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('runs as ansible-playbook runs it: the same values, handlers and recap', async () => {
    const both = await runBoth(dir, ['site.yml', '-i', 'hosts.ini', '-e', `out=${dir}`])
    const { ours, theirs, doc, ansible } = both
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // Ansible's json callback leaves handlers out: theirs are counted by the recap below
    const debug = (name: string) => name !== 'a list file'
    const their = ansible.plays[0]!.tasks.filter((t) => debug(t.task.name)).map((t) => [t.task.name, t.hosts.localhost?.msg])
    const mine = doc.results.filter((r) => debug(r.task.name)).map((r) => [r.task.name, r.output])
    assert.deepEqual(mine.slice(0, their.length), their)
    assert.deepEqual(mine, [
      ['seen group_vars', 'playbooks 3306'],
      ['seen content', 'deb [trusted=yes] http://repo ./\n'],
      ['restart app', 'restarted by the include'],
      // notified, but its import's `when: false` reaches it
      ['never runs', undefined],
    ])
    for (const f of ['acplay.list', 'json.list']) assert.equal(readFileSync(join(dir, f), 'utf8'), 'deb [trusted=yes] http://repo ./\n')
    const stats = (JSON.parse(theirs.stdout) as { stats: Record<string, { ok: number; changed: number; skipped: number }> }).stats.localhost!
    const recap = doc.recap[0]!
    assert.deepEqual([recap.ok, recap.changed, recap.skipped], [stats.ok, stats.changed, stats.skipped])
  })

  it('a changed task notifying a handler that does not exist stops the run, exit 1, as in Ansible', async () => {
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const args = ['missing.yml', '-i', 'hosts.ini']
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    const words = "The requested handler 'restart nginx' was not found in either the main handlers list nor in the listening handlers list"
    assert.equal(theirs.code, 1, theirs.stdout + theirs.stderr)
    assert.ok(theirs.stderr.includes(words), theirs.stderr)
    assert.equal(ours.code, 1, ours.stdout + ours.stderr)
    assert.match(ours.stderr, /^ERROR! E_NO_HANDLER: .*missing\.yml:4:7: The requested handler 'restart nginx' was not found/m)
    for (const out of [ours.stdout, theirs.stdout]) {
      assert.doesNotMatch(out, /not reached|PLAY RECAP/)
    }
  })
})
