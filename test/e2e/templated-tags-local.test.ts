/**
 * Templated tags against Debian's ansible-playbook (local connection): a tag that is a template,
 * one template among plain tags, a comma-separated string with a template, a template giving a
 * list, on tasks, a block and the play, rendered with the play's variables and -e (in an included
 * file with the include's variables too); selected with
 * --tags and --skip-tags. Which tasks run must be the same in both tools, case by case.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tags: "{{ play_tag }}"
  vars:
    feature: web
    play_tag: everything
    extra_tags: [audit, nightly]
  tasks:
    - name: one template
      debug: { msg: one }
      tags: "{{ feature }}"
    - name: among plain ones
      debug: { msg: among }
      tags: [db, "{{ feature }}-config"]
    - name: comma string
      debug: { msg: comma }
      tags: "cache,{{ feature }}-cache"
    - name: a list from a template
      debug: { msg: list }
      tags: ["{{ extra_tags }}"]
    - name: plain
      debug: { msg: plain }
      tags: plain
    - name: untagged
      debug: { msg: untagged }
    - block:
        - name: in a templated block
          debug: { msg: block }
      tags: "{{ feature }}-block"
    - include_tasks: included.yml
      vars: { part: inc }
      tags: always
    - block:
        - include_tasks: included.yml
          tags: always
      vars: { part: blk }
    - include_tasks: included.yml
      loop: [one, two]
      loop_control: { loop_var: part }
      tags: always
`

// its tags are rendered with the include's variables too (its vars, loop item, enclosing block's)
const INCLUDED = `- name: included
  debug: { msg: "{{ part }}" }
  tags: "{{ feature }}-{{ part }}"
`

const RUNS: string[][] = [
  ['--tags', 'web'],
  ['--tags', 'web-config,nightly'],
  ['--tags', 'cache'],
  ['--tags', 'web-cache'],
  ['--tags', 'web-block'],
  ['--skip-tags', 'web,audit'],
  ['--tags', 'api', '-e', 'feature=api'],
  ['--tags', 'everything', '--skip-tags', 'plain'],
  ['--tags', 'untagged'],
  ['--tags', 'web-inc,web-two'],
  ['--tags', 'web-blk', '--skip-tags', 'web-one'],
]

describe('templated tags as ansible-playbook selects them (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('tags', { 'site.yml': PLAYBOOK, 'included.yml': INCLUDED })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same tasks run in both tools for each --tags / --skip-tags', async () => {
    for (const extra of RUNS) {
      const { ours, theirs, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini', ...extra])
      assert.equal(ours.code, 0, `${extra.join(' ')}: ${ours.stdout}${ours.stderr}`)
      assert.equal(theirs.code, 0, `${extra.join(' ')}: ${theirs.stdout}${theirs.stderr}`)
      const ran = doc.results.map((r) => r.task.name)
      const theirRan = ansible.plays[0]!.tasks.map((t) => t.task.name)
      assert.deepEqual(ran, theirRan, extra.join(' '))
    }
  })

  it('a tag naming an undefined variable is an error at its file:line', async () => {
    writeFileSync(join(dir, 'undefined.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: x }\n      tags: "{{ nowhere }}"\n')
    const r = await acplay(['run', 'undefined.yml', '-i', 'hosts.ini', '--tags', 'x'], { cwd: dir })
    assert.notEqual(r.code, 0)
    assert.match(r.stdout + r.stderr, /undefined\.yml:4:7: .*'nowhere' is undefined/)
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr)
  })
})
