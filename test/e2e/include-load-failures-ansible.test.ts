/**
 * An include_tasks file that cannot be read, against Debian's ansible-playbook (two local hosts):
 * Ansible's strategy reads it, not its TaskExecutor, so `ignore_errors` takes none of it. A missing
 * file fails the host (its later tasks do not run, exit 2); one that does not parse stops the run
 * (exit 4); a file name that does not render is the task's failure, which ignore_errors takes.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const play = (file: string) => `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: ${file}
      ignore_errors: true
    - name: after
      debug: { msg: after }
`

describe('include_tasks files that cannot be read, as ansible-playbook', () => {
  const dir = localPlaybookDir('include-load', {
    'hosts.ini': 'a ansible_connection=local\nb ansible_connection=local\n',
    'missing.yml': play('nosuch.yml'),
    'unparsed.yml': play('bad.yml'),
    'undefined.yml': play('"{{ nosuchvar }}.yml"'),
    'bad.yml': '- debug: { msg: [unclosed\n',
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const cases: [string, number, number | undefined][] = [
    ['missing.yml', 2, 0],
    ['unparsed.yml', 4, undefined],
    ['undefined.yml', 0, 2],
  ]
  for (const [playbook, exit, afters] of cases) {
    it(`${playbook}: exit ${exit}, the same recap`, async () => {
      if (afters === undefined) {
        // a stopped run prints no JSON document: the exit codes and the error
        const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' }
        const [ours, theirs] = await Promise.all([
          acplay(['run', '-i', 'hosts.ini', playbook], { cwd: dir, env }),
          capture(['ansible-playbook', '-i', 'hosts.ini', playbook], { cwd: dir, env }),
        ])
        assert.deepEqual([ours.code, theirs.code], [exit, exit], ours.stdout + ours.stderr + theirs.stdout + theirs.stderr)
        assert.match(theirs.stdout + theirs.stderr, /ERROR!/)
        assert.match(ours.stdout + ours.stderr, /ERROR! E_YAML: \S+bad\.yml:2:1/)
        return
      }
      const both = await runBoth(dir, ['-i', 'hosts.ini', playbook])
      assert.deepEqual([both.ours.code, both.theirs.code], [exit, exit], both.ours.stdout + both.ours.stderr)
      const ran = both.doc.results.filter((r) => r.task.name === 'after').length
      const theirRan = Object.keys(both.ansible.plays[0]!.tasks.find((t) => t.task.name === 'after')?.hosts ?? {}).length
      assert.deepEqual([ran, theirRan], [afters, afters])
      assert.deepEqual(
        both.doc.recap.map((r) => [r.host, r.ok, r.failed, r.ignored]),
        Object.entries(both.ansible.stats!).map(([h, s]) => [h, s.ok, s.failures, s.ignored]),
      )
    })
  }
})
