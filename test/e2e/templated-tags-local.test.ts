/**
 * Templated tags against Debian's ansible-playbook (local connection): a tag that is a template,
 * one template among plain tags, a comma-separated string with a template, a template giving a
 * list, on tasks, a block and the play, rendered with the play's variables and -e; selected with
 * --tags and --skip-tags. Which tasks run must be the same in both tools, case by case.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

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
]

interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown }> }[] }[]
}

describe('templated tags as ansible-playbook selects them (local)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-tags-'))
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n')
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same tasks run in both tools for each --tags / --skip-tags', async () => {
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    for (const extra of RUNS) {
      const args = ['site.yml', '-i', 'hosts.ini', ...extra]
      const [ours, theirs] = await Promise.all([
        acplay(['run', '--json', ...args], { cwd: dir, env }),
        capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
      ])
      assert.equal(ours.code, 0, `${extra.join(' ')}: ${ours.stdout}${ours.stderr}`)
      assert.equal(theirs.code, 0, `${extra.join(' ')}: ${theirs.stdout}${theirs.stderr}`)
      const ran = (JSON.parse(ours.stdout) as JsonDocument).results.map((r) => r.task.name)
      const theirRan = (JSON.parse(theirs.stdout) as AnsibleJson).plays[0]!.tasks.map((t) => t.task.name)
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
