/**
 * ansible.cfg settings against Debian's ansible-playbook (local connection, two hosts): the
 * inventory, forks, remote_user, private_key_file and [privilege_escalation] become settings of an
 * ansible.cfg in the current directory, printed through ansible_forks and the config lookup, and
 * become applied from it (`id -un`); then the environment over the file and -f over both.
 *
 * Become needs sudo: the test runs as root with a stand-in `sudo` first in PATH (runuser as the
 * user), so both tools become through the same command; elsewhere it is skipped.
 */
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture } from '../helpers/cli.js'

const RUNUSER = '/usr/sbin/runuser'
const skip = process.getuid?.() !== 0 || !existsSync(RUNUSER) ? 'needs root and runuser (a stand-in for sudo)' : false

// our own minimal sudo: the options both tools pass (-H -S -n -u USER [-p PROMPT] [--]), then the command as USER
const SUDO = `#!/bin/sh
user=root
while [ $# -gt 0 ]; do
  case "$1" in
    -u) user=$2; shift 2 ;;
    -p) shift 2 ;;
    -H|-S|-n) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
exec ${RUNUSER} -u "$user" -- "$@"
`

const CFG = `[defaults]
inventory = ./hosts.ini
remote_user = deploy
private_key_file = ~/.ssh/deploy_ed25519
forks = 7
host_key_checking = False
retry_files_enabled = False

[privilege_escalation]
become = yes
become_method = sudo
become_user = nobody
`

const SETTINGS = `{{ {'forks': ansible_forks, 'sources': ansible_inventory_sources,
  'become': lookup('config', 'DEFAULT_BECOME'), 'method': lookup('ansible.builtin.config', 'DEFAULT_BECOME_METHOD'),
  'become_user': lookup('config', 'DEFAULT_BECOME_USER'), 'remote_user': lookup('config', 'DEFAULT_REMOTE_USER'),
  'key': lookup('config', 'DEFAULT_PRIVATE_KEY_FILE'), 'cfg_forks': lookup('config', 'DEFAULT_FORKS'),
  'host_key_checking': lookup('config', 'HOST_KEY_CHECKING'), 'timeout': lookup('config', 'DEFAULT_TIMEOUT'),
  'managed': lookup('config', 'DEFAULT_MANAGED_STR'), 'gathering': lookup('config', 'DEFAULT_GATHERING'),
  'inventory': lookup('config', 'DEFAULT_HOST_LIST'), 'missing': query('config', 'NO_SUCH_SETTING', on_missing='skip')} }}`

const PLAYBOOK = `- name: settings
  hosts: all
  gather_facts: false
  become: false
  tasks:
    - name: settings
      debug:
        msg: "${SETTINGS.replaceAll('\n', ' ')}"
- name: become from ansible.cfg
  hosts: all
  gather_facts: false
  tasks:
    - command: id -un
      register: who
      changed_when: false
    - name: become user
      debug: { msg: "{{ who.stdout }}" }
    - command: id -un
      become: false
      register: me
      changed_when: false
    - name: own user
      debug: { msg: "{{ me.stdout }}" }
`

type Seen = { task: string; host: string; msg: unknown }

/** The debug messages of a run, by task and host, in a stable order. */
function acplayMessages(stdout: string): Seen[] {
  const doc = JSON.parse(stdout) as JsonDocument
  return doc.results.filter((r) => r.status === 'ok' && r.task.name !== 'command').map((r) => ({ task: r.task.name, host: r.host, msg: r.output }))
}

function ansibleMessages(stdout: string): Seen[] {
  type Doc = { plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown }> }[] }[] }
  return (JSON.parse(stdout) as Doc).plays.flatMap((p) =>
    p.tasks.filter((t) => t.task.name !== 'command').flatMap((t) => Object.entries(t.hosts).map(([host, r]) => ({ task: t.task.name, host, msg: r.msg }))),
  )
}

const sorted = (xs: Seen[]) => [...xs].sort((a, b) => `${a.task} ${a.host}`.localeCompare(`${b.task} ${b.host}`))

describe('ansible.cfg settings as ansible-playbook reads them (local connection)', { skip }, () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-cfg-'))
    // the become users must reach the directory; Ansible ignores an ansible.cfg in a world-writable one
    chmodSync(dir, 0o755)
    mkdirSync(join(dir, 'bin'))
    writeFileSync(join(dir, 'bin/sudo'), SUDO, { mode: 0o755 })
    writeFileSync(join(dir, 'ansible.cfg'), CFG)
    writeFileSync(join(dir, 'hosts.ini'), '[web]\na ansible_connection=local\nb ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(
      join(dir, 'sudo-keyword.yml'),
      PLAYBOOK.replace('- name: become from ansible.cfg\n', '- name: become from ansible.cfg\n  become_method: sudo\n'),
    )
    writeFileSync(
      join(dir, 'templated-method.yml'),
      PLAYBOOK.replace('- name: become from ansible.cfg\n', '- name: become from ansible.cfg\n  become_method: "{{ method }}"\n  vars: { method: sudo }\n'),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** Both tools on the playbook, no -i: the inventory comes from ansible.cfg (found in the current directory). */
  async function both(args: string[], extraEnv: Record<string, string> = {}, playbook = 'site.yml'): Promise<{ ours: Seen[]; theirs: Seen[] }> {
    const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ...extraEnv }
    const [ours, theirs] = await Promise.all([
      acplay(['run', '--json', playbook, ...args], { cwd: dir, env }),
      capture(['ansible-playbook', playbook, ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
    ])
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    return { ours: sorted(acplayMessages(ours.stdout)), theirs: sorted(ansibleMessages(theirs.stdout)) }
  }

  const msgOf = (seen: Seen[], task: string) => seen.find((s) => s.task === task && s.host === 'a')!.msg as Record<string, unknown>

  it('the settings of ansible.cfg, and become from it', async () => {
    const { ours, theirs } = await both([])
    assert.deepEqual(ours, theirs)
    assert.equal(ours.length, 6)
    assert.deepEqual(msgOf(ours, 'settings'), {
      forks: 7,
      cfg_forks: 7,
      sources: [join(dir, 'hosts.ini')],
      inventory: [join(dir, 'hosts.ini')],
      become: true,
      method: 'sudo',
      become_user: 'nobody',
      remote_user: 'deploy',
      key: join(homedir(), '.ssh/deploy_ed25519'),
      host_key_checking: false,
      timeout: 10,
      managed: 'Ansible managed',
      gathering: 'implicit',
      missing: [],
    })
    assert.equal(msgOf(ours, 'become user'), 'nobody')
    assert.equal(msgOf(ours, 'own user'), 'root')
  })

  it('the environment over ansible.cfg, and -f over both', async () => {
    const { ours, theirs } = await both(['-f', '3'], { ANSIBLE_BECOME_USER: 'daemon', ANSIBLE_FORKS: '4' })
    assert.deepEqual(ours, theirs)
    const s = msgOf(ours, 'settings')
    assert.deepEqual([s.forks, s.cfg_forks, s.become_user], [3, 4, 'daemon'])
    assert.equal(msgOf(ours, 'become user'), 'daemon')
  })

  it("the play's become_method keyword over the environment's; a method acplay does not do (doas) refused", async () => {
    const { ours, theirs } = await both([], { ANSIBLE_BECOME_METHOD: 'su' }, 'sudo-keyword.yml')
    assert.deepEqual(ours, theirs)
    assert.equal(msgOf(ours, 'settings').method, 'su')
    assert.equal(msgOf(ours, 'become user'), 'nobody')
    // the keyword as a template, rendered per host: sudo from the play's vars
    const templated = await both([], { ANSIBLE_BECOME_METHOD: 'su' }, 'templated-method.yml')
    assert.deepEqual(templated.ours, templated.theirs)
    assert.equal(msgOf(templated.ours, 'become user'), 'nobody')
    const su = await acplay(['run', 'templated-method.yml', '-e', 'method=doas'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` } })
    assert.notEqual(su.code, 0)
    assert.match(su.stdout + su.stderr, /templated-method\.yml:\d+:\d+: become_method 'doas' .* is not supported: acplay becomes with sudo or su/)
    const without = await acplay(['run', 'site.yml'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ANSIBLE_BECOME_METHOD: 'doas' } })
    assert.notEqual(without.code, 0)
    assert.match(without.stdout + without.stderr, /become_method 'doas' .* is not supported: acplay becomes with sudo or su/)
    // --become-method as the environment's, under the play's keyword; scp and sftp options taken (acplay uses neither)
    const flags = ['--become-method', 'su', '--scp-extra-args=-l 8192', '--sftp-extra-args=-f']
    const cli = await both(flags, {}, 'sudo-keyword.yml')
    assert.deepEqual(cli.ours, cli.theirs)
    assert.equal(msgOf(cli.ours, 'become user'), 'nobody')
    const su2 = await acplay(['run', 'site.yml', '--become-method', 'pbrun'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` } })
    assert.match(su2.stdout + su2.stderr, /become_method 'pbrun' \(.*--become-method.*\) is not supported/)
  })
})
