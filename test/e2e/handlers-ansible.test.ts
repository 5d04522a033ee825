/**
 * Which handler a notification reaches when a role's handlers are loaded more than once, against
 * Debian's ansible-playbook (local): the last loaded with that name when the task reports. A role
 * used twice (other params, import_role) has its handler run once; an include_role loaded later
 * brings its own copy, so a notification before it and one after it run the handler twice. A role
 * instance is its params, and for include_role/import_role also its *_from files and the task's
 * vars: an include of a role the play's `roles:` ran with the same params is another instance, whose
 * handler a `listen` topic reaches beside the first; an include the same as an earlier one adds no
 * copy; an include's vars are its copy's (its handler sees them). A
 * looped task templates `notify` per item: every item that ran notifies once any item changed
 * (an unchanged one too), a skipped item does not.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const ROLE = {
  'roles/r1/tasks/main.yml': '- command: "true"\n  notify: r1 handler\n',
  'roles/r1/handlers/main.yml': '- name: r1 handler\n  debug: { msg: "handled {{ p | default(\'none\') }}" }\n',
  'roles/r2/meta/main.yml': 'dependencies:\n  - { role: r1, p: fromdep }\n',
  'roles/r2/tasks/main.yml': '- debug: { msg: r2 }\n',
  'roles/r3/tasks/main.yml': '- command: "true"\n  notify: a topic\n',
  'roles/r3/handlers/main.yml': '- name: r3 handler\n  debug: { msg: "r3 {{ v | default(\'none\') }}" }\n  listen: a topic\n',
}

const play = (roles: string, tasks: string) => `- hosts: localhost
  gather_facts: false
  roles: ${roles}
  tasks: ${tasks}
`

const CASES = {
  'twice.yml': play('[{ role: r1, p: one }, { role: r1, p: two }]', '[]'),
  'imported.yml': play('[{ role: r1, p: one }]', '[{ import_role: { name: r1 } }]'),
  'included.yml': play('[{ role: r1, p: one }]', '[{ include_role: { name: r1 } }]'),
  'dependency.yml': play('[r2, { role: r1, p: one }]', '[]'),
  'listen.yml': play('[r3]', '[{ include_role: { name: r3 } }, { include_role: { name: r3 } }, { import_role: { name: r3 } }]'),
  'listen-vars.yml': play('[r3]', '[{ include_role: { name: r3 }, vars: { v: x } }, { import_role: { name: r3, tasks_from: main } }]'),
}

const LOOP = `- hosts: localhost
  gather_facts: false
  tasks:
    - command: "true"
      loop: [a, b, c, d]
      changed_when: item == 'a'
      when: item != 'd'
      notify: "h {{ item }}"
    - command: "true"
      loop: [e]
      changed_when: false
      notify: "h {{ item }}"
  handlers:
${['a', 'b', 'c', 'd', 'e'].map((x) => `    - name: h ${x}\n      debug: { msg: "handled ${x}" }\n`).join('')}`

describe("a looped task notifies with each item's variables (local)", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('handlers-loop', { 'loop.yml': LOOP })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the items that ran notify once any changed; a skipped one and an unchanged task do not', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, ['loop.yml', '-i', 'hosts.ini'])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const their = ansible.plays[0]!.tasks.filter((t) => t.task.name.startsWith('h ')).map((t) => t.hosts.localhost!.msg)
    assert.deepEqual(their, ['handled a', 'handled b', 'handled c'])
    assert.deepEqual(
      doc.results.filter((r) => r.task.handler).map((r) => r.output),
      their,
    )
    const stats = (JSON.parse(theirs.stdout) as { stats: Record<string, { ok: number; changed: number }> }).stats.localhost!
    assert.deepEqual([doc.recap[0]!.ok, doc.recap[0]!.changed], [stats.ok, stats.changed])
  })
})

describe('a notification reaches the handler Ansible picks when a role is loaded twice (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('handlers', { ...ROLE, ...CASES })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const RUNS = { 'twice.yml': 1, 'imported.yml': 1, 'included.yml': 2, 'dependency.yml': 1, 'listen.yml': 2, 'listen-vars.yml': 3 }
  for (const [file, runs] of Object.entries(RUNS))
    it(`${file}: the handler runs ${['once', 'twice', 'three times'][runs - 1]}`, async () => {
      const { ours, theirs, doc, ansible } = await runBoth(dir, [file, '-i', 'hosts.ini'])
      assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
      assert.equal(ours.code, 0, ours.stdout + ours.stderr)
      const their = ansible.plays[0]!.tasks.filter((t) => /^r\d : r\d handler$/.test(t.task.name)).map((t) => t.hosts.localhost!.msg)
      const mine = doc.results.filter((r) => r.task.handler).map((r) => r.output)
      assert.equal(their.length, runs)
      assert.deepEqual(mine, their)
      const stats = (JSON.parse(theirs.stdout) as { stats: Record<string, { ok: number; changed: number }> }).stats.localhost!
      const recap = doc.recap[0]!
      assert.deepEqual([recap.ok, recap.changed], [stats.ok, stats.changed])
    })
})
