/**
 * Magic variables against Debian's ansible-playbook (local connection, two hosts): the same
 * playbook prints them with debug in both tools, across `serial` batches, a host that fails
 * (it leaves ansible_play_hosts, not ansible_play_hosts_all), --check, --diff, --limit, --skip-tags, -f.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

const MAGIC = `{{ {'host': inventory_hostname, 'short': inventory_hostname_short, 'batch': ansible_play_batch, 'hosts': ansible_play_hosts,
  'all': ansible_play_hosts_all, 'play_hosts': play_hosts, 'play': ansible_play_name, 'check': ansible_check_mode, 'diff': ansible_diff_mode,
  'version': ansible_version, 'run_tags': ansible_run_tags, 'skip_tags': ansible_skip_tags, 'forks': ansible_forks, 'limit': ansible_limit,
  'groups': groups, 'group_names': group_names, 'inventory_file': inventory_file, 'inventory_dir': inventory_dir, 'playbook_dir': playbook_dir,
  'config': ansible_config_file, 'verbosity': ansible_verbosity, 'role': role_name | default('none'), 'managed': ansible_managed | default('none'),
  'omit_is_str': omit is string, 'sources': ansible_inventory_sources, 'search': ansible_search_path} }}`

const PLAYBOOK = `- name: batches
  hosts: web
  gather_facts: false
  serial: 1
  tasks:
    - debug:
        msg: "${MAGIC.replaceAll('\n', ' ')}"
- hosts: web
  gather_facts: false
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname == 'b.example.com'
    - debug:
        msg: "${MAGIC.replaceAll('\n', ' ')}"
`

type Msg = Record<string, unknown>

describe('magic variables as ansible-playbook has them (local connection)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-magic-'))
    writeFileSync(join(dir, 'hosts.ini'), '[web]\na ansible_connection=local\nb.example.com ansible_connection=local\n[db]\na\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same values in both tools', async () => {
    // a relative -i: inventory_file and inventory_dir are absolute in both
    const args = [join(dir, 'site.yml'), '-i', 'hosts.ini', '--check', '--diff', '--limit', 'web', '--skip-tags', 'nothing', '-f', '3']
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', ...args], { cwd: dir, env }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
    ])
    const doc = JSON.parse(ours.stdout) as JsonDocument
    const acplayMsgs = doc.results.filter((r) => r.task.name === 'debug' && r.status === 'ok').map((r) => r.output as Msg)
    const ansible = JSON.parse(theirs.stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: Msg }> }[] }[] }
    const ansibleMsgs = ansible.plays.flatMap((p) => p.tasks.filter((t) => t.task.name === 'debug').flatMap((t) => Object.values(t.hosts).map((h) => h.msg!)))
    // keys sorted at every level (Ansible's JSON callback sorts them)
    const key = (m: Msg) =>
      JSON.stringify(m, (_k, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
      )
    assert.equal(acplayMsgs.length, 3, ours.stdout)
    assert.deepEqual(acplayMsgs.map(key).sort(), ansibleMsgs.map(key).sort())
    // the values themselves, so both tools changing alike is still caught
    const last = acplayMsgs.find((m) => m.play === 'web')!
    assert.deepEqual([last.hosts, last.all, last.batch], [['a'], ['a', 'b.example.com'], ['a']])
    const first = acplayMsgs.find((m) => m.host === 'b.example.com')!
    assert.deepEqual(
      [first.batch, first.short, first.group_names, first.check, first.diff, first.limit, first.forks],
      [['b.example.com'], 'b', ['web'], true, true, 'web', 3],
    )
  })
})
