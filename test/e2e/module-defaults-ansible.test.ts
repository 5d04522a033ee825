/**
 * module_defaults as ansible-playbook applies them (local): on the play, a block, a task (a list of
 * mappings too), an import and a role entry; a short name and its FQCN are one entry, an inner
 * level's entry replaces the outer one's whole (a role entry's reach its handlers), the task's own arguments win, a value may be a
 * template; the play's reach the command module (chdir) and fact gathering (setup's filter).
 * Compared: every `seen` task's message, and the recap.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: true
  module_defaults:
    debug: { msg: "from the play" }
    ansible.builtin.command: { chdir: /usr }
    setup: { filter: ansible_hostname }
  vars:
    level: one
    dbg_defaults: { msg: "rendered {{ level }}" }
  roles:
    - role: r
      module_defaults: { debug: { msg: "from the role entry" } }
  tasks:
    - name: seen play
      debug:
    - name: seen facts gathered through setup's filter
      debug: { msg: "{{ ansible_facts.keys() | list | sort }}" }
    - command: pwd
      register: where
      changed_when: false
    - name: seen chdir
      debug: { msg: "{{ where.stdout }}" }
    - name: seen own args win
      debug: { msg: own }
    - module_defaults:
        ansible.builtin.debug: { verbosity: 0 }
      block:
        - name: seen block replaces the play's entry whole
          debug:
        - name: seen task list, the last wins
          debug:
          module_defaults: [{ debug: { msg: first } }, { ansible.legacy.debug: { msg: second } }]
        - name: seen template
          debug:
          module_defaults: { debug: "{{ dbg_defaults }}" }
    - import_tasks: imported.yml
      module_defaults: { debug: { msg: "from the import" } }
`

describe('module_defaults as ansible-playbook applies them (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('module-defaults', {
      'site.yml': PLAYBOOK,
      'imported.yml': '- name: seen import\n  debug:\n',
      'roles/r/tasks/main.yml': '- name: role entry\n  debug:\n- command: "true"\n  notify: role handler\n',
      'roles/r/handlers/main.yml': '- name: role handler\n  debug:\n',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('every level, as Ansible merges them', async () => {
    const both = await runBoth(dir, ['site.yml', '-i', 'hosts.ini'])
    const seen = sameOutputs(both)
    assert.deepEqual(seen, {
      'seen play': 'from the play',
      "seen facts gathered through setup's filter": ['_ansible_facts_gathered', 'hostname'],
      'seen chdir': '/usr',
      'seen own args win': 'own',
      "seen block replaces the play's entry whole": 'Hello world!',
      'seen task list, the last wins': 'second',
      'seen template': 'rendered one',
      'seen import': 'from the import',
    })
    // a role's task: Ansible names it 'r : role entry'
    for (const name of ['role entry', 'role handler']) {
      const theirs = both.ansible.plays[0]!.tasks.find((t) => t.task.name === `r : ${name}`)!.hosts.localhost!.msg
      const mine = both.doc.results.find((r) => r.task.name === name)!.output
      assert.deepEqual([mine, theirs], ['from the role entry', 'from the role entry'], name)
    }
    const stats = (JSON.parse(both.theirs.stdout) as { stats: Record<string, { ok: number; changed: number }> }).stats.localhost!
    assert.deepEqual([both.doc.recap[0]!.ok, both.doc.recap[0]!.changed], [stats.ok, stats.changed])
  })
})

/** A user collection beside the playbook, with action groups (its meta/runtime.yml), as Ansible finds it. */
const RUNTIME = `action_groups:
  msgs:
    - ansible.builtin.debug
    - nosuchaction
  every:
    - metadata:
        extend_group: [msgs, acme.tools.nosuchgroup]
    - ansible.builtin.command
`

const GROUPS = `- hosts: localhost
  gather_facts: false
  module_defaults:
    group/acme.tools.msgs: { msg: "from the group" }
    group/aws: { region: eu-west-1 }
  tasks:
    - name: seen group
      debug:
    - name: seen the module's own entry over the group's
      debug:
      module_defaults: { debug: { msg: "from the module entry" } }
    - name: seen an extended group, templated
      debug:
      module_defaults: { group/acme.tools.every: "{{ every_defaults }}" }
      vars:
        every_defaults: { msg: "from every" }
`

/** Debian's community.postgresql: its group `all`, and a task naming postgresql_ping short, as ansible-core routes it. */
const ROUTED = `- hosts: localhost
  gather_facts: false
  module_defaults:
    group/community.postgresql.all: { login_host: 10.231.254.254 }
  tasks:
    - postgresql_ping:
      register: ping
      environment: { PYTHONPATH: "{{ playbook_dir }}/fakepg" }
    - name: seen the group's login_host
      debug: { msg: "{{ ping.warnings }}" }
`

/** package runs as apt, but its defaults stay its own, over apt's (run with --check: nothing is installed). */
const PACKAGE = `- hosts: localhost
  gather_facts: false
  module_defaults:
    apt: { name: acplay-nope-apt, state: present }
    package: { name: acplay-nope-pkg }
  tasks:
    - package: {}
      register: p
      ignore_errors: true
    - apt: {}
      register: a
      ignore_errors: true
    - name: seen package's own defaults over apt's
      debug: { msg: "{{ p.msg }}" }
    - name: seen apt without package's
      debug: { msg: "{{ a.msg }}" }
`

/**
 * service on the controller (no systemd there): systemd's defaults, daemon_reload among them, do not
 * reach the generic module Ansible's service action picks; service's own do. Read-only: there is no
 * such init script, so the module fails before acting.
 */
const SERVICE = `- hosts: localhost
  gather_facts: false
  module_defaults:
    ansible.builtin.systemd: { daemon_reload: true, enabled: true }
    service: { state: stopped }
  tasks:
    - service: { name: acplay-nope-svc }
      register: s
      ignore_errors: true
    - name: seen service without systemd's defaults
      debug: { msg: "{{ s.msg }}" }
`

const STANDIN_PSYCOPG2 = `__version__ = '2.9.5 (dt dec pq3 ext lo64)'
class Error(Exception):
    pass
class OperationalError(Error):
    pass
DatabaseError = ProgrammingError = Error
def connect(*a, **kw):
    raise OperationalError('stand-in psycopg2: host=%s' % kw.get('host'))
`

describe('module_defaults groups as ansible-playbook resolves them (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('module-defaults-groups', {
      'site.yml': GROUPS,
      'bad.yml': '- hosts: localhost\n  gather_facts: false\n  module_defaults:\n    group/acme.tools.nope: {}\n  tasks:\n    - debug:\n',
      'collections/ansible_collections/acme/tools/meta/runtime.yml': RUNTIME,
      'routed.yml': ROUTED,
      'package.yml': PACKAGE,
      'service.yml': SERVICE,
      // a stand-in psycopg2 whose connect says which host it was given: the group's login_host reached the module
      'fakepg/psycopg2/__init__.py': STANDIN_PSYCOPG2,
      'fakepg/psycopg2/extras.py': 'DictCursor = RealDictCursor = object\n',
      'fakepg/psycopg2/extensions.py': 'ISOLATION_LEVEL_AUTOCOMMIT = 0\ndef register_type(*a, **k):\n    pass\n',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("a collection's group, ansible-core's own (group/aws), extend_group, and the module's entry over the group's", async () => {
    const both = await runBoth(dir, ['site.yml', '-i', 'hosts.ini'])
    assert.deepEqual(sameOutputs(both), {
      'seen group': 'from the group',
      "seen the module's own entry over the group's": 'from the module entry',
      'seen an extended group, templated': 'from every',
    })
  })

  it("a module ansible-core routes a short name to gets its collection's group defaults by that name", async () => {
    const both = await runBoth(dir, ['routed.yml', '-i', 'hosts.ini'])
    assert.deepEqual(sameOutputs(both), { "seen the group's login_host": ['PostgreSQL server is unavailable: stand-in psycopg2: host=10.231.254.254'] })
  })

  it("package's defaults are its own: over apt's on a package task, none on an apt task (as Ansible's package action)", async () => {
    const both = await runBoth(dir, ['package.yml', '-i', 'hosts.ini', '--check'])
    assert.deepEqual(sameOutputs(both), {
      "seen package's own defaults over apt's": "No package matching 'acplay-nope-pkg' is available",
      "seen apt without package's": "No package matching 'acplay-nope-apt' is available",
    })
  })

  it("service's defaults are its own where it does not hand the task to systemd (as Ansible's service action)", async () => {
    const both = await runBoth(dir, ['service.yml', '-i', 'hosts.ini'])
    assert.deepEqual(sameOutputs(both), { "seen service without systemd's defaults": 'Could not find the requested service acplay-nope-svc: host' })
  })

  it('a group the collection does not have is refused at load, as Ansible refuses it', async () => {
    const ours = await acplay(['run', 'bad.yml', '-i', 'hosts.ini'], { cwd: dir })
    const theirs = await capture(['ansible-playbook', 'bad.yml', '-i', 'hosts.ini'], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1' } })
    assert.notEqual(theirs.code, 0)
    assert.match(theirs.stdout + theirs.stderr, /could not resolve the module_defaults group acme\.tools\.nope/)
    assert.match(ours.stderr, /bad\.yml:4:5: .*could not resolve the module_defaults group acme\.tools\.nope/)
    assert.equal(ours.code, theirs.code)
  })
})
