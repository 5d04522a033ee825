/**
 * Role argument specs against Debian's ansible-playbook (ansible_connection=local): a role with
 * meta/argument_specs.yml gets Ansible's validation task first (its name, tagged always), which
 * passes, or fails with Ansible's errors in Ansible's order (types, elements, choices, required,
 * sub-options, unsupported names, values from play vars, templates and -e; aliases and the rules between
 * a sub-spec's options); include_role's entry point
 * (tasks_from) picks its own spec, rolespec_validate: false skips it; the action called by a task.
 * Output and recap compared.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const SPECS = `argument_specs:
  main:
    short_description: The web role
    options:
      web_port: { type: int, required: true }
      web_state: { type: str, choices: [present, absent], default: present }
      web_users:
        type: list
        elements: dict
        options:
          name: { type: str, required: true }
          uid: { type: int }
      web_flags: { type: list, elements: int }
      web_enabled: { type: bool }
      web_conf: { type: dict }
      web_ratio: { type: float }
  other:
    options:
      x: { type: str, required: true }
`

// aliases and the rules between a sub-spec's options
const DB_SPECS = `argument_specs:
  main:
    options:
      db_port: { type: int, aliases: [dbport] }
      db_conn:
        type: dict
        mutually_exclusive: [[socket, host]]
        required_one_of: [[socket, host]]
        options:
          socket: { type: path }
          host: { type: str, aliases: [h] }
`

const PLAYBOOKS: Record<string, string> = {
  passes: `- hosts: all
  gather_facts: false
  roles:
    - role: web
      web_port: "8080"
      web_users: [{ name: a, uid: "5" }]
      web_flags: "1,2"
      web_conf: "a=1 b='x y'"
      web_ratio: "1e3"
`,
  fails: `- hosts: all
  gather_facts: false
  vars:
    web_state: maybe
    web_enabled: 2
    web_ratio: "{{ 'x' ~ 1 }}"
  roles:
    - role: web
      web_users: [{ uid: x }, "str", { name: [1] }]
      web_flags: [1, "b", 2.5]
      web_conf: "nothing"
      bogus: 1
`,
  nested: `- hosts: all
  gather_facts: false
  roles:
    - role: web
      web_port: 80
      web_users: [{ name: a, extra: 1 }]
`,
  // one include per play: Ansible's role cache would hand the second include the first one's role
  entry_point: `- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: web, tasks_from: other }
`,
  not_validated: `- hosts: all
  gather_facts: false
  tasks:
    - import_role: { name: web, tasks_from: other, rolespec_validate: false }
`,
  direct: `- hosts: all
  gather_facts: false
  vars: { b: [x] }
  tasks:
    - ansible.builtin.validate_argument_spec:
        argument_spec: { a: { type: int }, b: { type: list, elements: str } }
        provided_arguments: { a: "12" }
    - validate_argument_spec:
        argument_spec: { a: { type: int, required: true, choices: [1, 2] } }
        provided_arguments: { a: "3" }
`,
  aliases: `- hosts: all
  gather_facts: false
  roles:
    - { role: db, dbport: "5432", db_conn: { h: db1 } }
`,
  sub_rules: `- hosts: all
  gather_facts: false
  roles:
    - { role: db, dbport: x, db_conn: { socket: /s, h: db1 }, zzz: 1 }
    - { role: db, db_conn: {} }
`,
  tags: `- hosts: all
  gather_facts: false
  roles:
    - { role: web, web_port: 80, tags: [web] }
`,
  // values from -e: JSON and key=value are Python's str, list, dict; inline YAML is AnsibleUnicode...
  extra_vars: `- hosts: all
  gather_facts: false
  roles:
    - role: web
`,
}

const ARGS: Record<string, string[]> = {
  tags: ['--tags', 'nothing-else'],
  extra_vars: ['-e', '{"web_port": "abc", "web_conf": [1], "web_users": "x"}', '-e', 'web_enabled=maybe', '-e', '{web_flags: [a], web_ratio: x}'],
}

type Json = Record<string, unknown>

// Python lists its set of booleans in hash order, new every run
const BOOLEANS = /Valid booleans include: .*/

/** What each tool printed that the other must print too: task headers, fatal results' errors, the recap. */
function summary(out: string): Json {
  const failed = [...out.matchAll(/FAILED! => (\{.*\})$/gm)].map((m) => {
    const r = JSON.parse(m[1]!) as Json
    const errors = (r.argument_errors as string[] | undefined)?.map((e) => e.replace(BOOLEANS, 'Valid booleans include: ...'))
    return { errors, context: r.validate_args_context }
  })
  return {
    tasks: [...out.matchAll(/^TASK \[(.*)\]/gm)].map((m) => m[1]),
    failed,
    recap: /localhost\s+:\s+(ok=.*)$/m.exec(out)?.[1]?.trim(),
  }
}

describe('role argument specs as ansible-playbook checks them', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-argspec-'))
    mkdirSync(join(dir, 'roles', 'web', 'tasks'), { recursive: true })
    mkdirSync(join(dir, 'roles', 'web', 'meta'))
    writeFileSync(join(dir, 'roles', 'web', 'meta', 'argument_specs.yml'), SPECS)
    writeFileSync(join(dir, 'roles', 'web', 'tasks', 'main.yml'), '- debug: { msg: "port {{ web_port }}" }\n')
    writeFileSync(join(dir, 'roles', 'web', 'tasks', 'other.yml'), '- debug: { msg: other }\n')
    mkdirSync(join(dir, 'roles', 'db', 'tasks'), { recursive: true })
    mkdirSync(join(dir, 'roles', 'db', 'meta'))
    writeFileSync(join(dir, 'roles', 'db', 'meta', 'argument_specs.yml'), DB_SPECS)
    writeFileSync(join(dir, 'roles', 'db', 'tasks', 'main.yml'), '- debug: { msg: "db {{ db_port }}" }\n')
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    for (const [name, text] of Object.entries(PLAYBOOKS)) writeFileSync(join(dir, `${name}.yml`), text)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const name of Object.keys(PLAYBOOKS)) {
    it(`${name}: the same tasks, errors and recap`, async () => {
      const args = ['-i', join(dir, 'hosts.ini'), join(dir, `${name}.yml`), ...(ARGS[name] ?? [])]
      const [ours, theirs] = await Promise.all([
        acplay(['run', ...args], { cwd: dir }),
        capture(['ansible-playbook', ...args], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1' } }),
      ])
      assert.equal(ours.code, theirs.code, `exit codes\n${ours.stdout}${ours.stderr}\n---\n${theirs.stdout}${theirs.stderr}`)
      assert.deepEqual(summary(ours.stdout), summary(theirs.stdout))
    })
  }
})
