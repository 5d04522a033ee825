/**
 * Where a role's variables and an include's stand, against Debian's ansible-playbook (localhost):
 * a role entry's or import_role's `vars:` are the play's (Ansible's Role.vars, exported with the
 * role's vars/main.yml, which wins over them), a public include_role's from when it runs; a role
 * entry's other keys (role params, a dependency's parents' too) and an include_tasks/include_role's
 * `vars:` and loop variable (include params) win over set_fact and task vars inside; include_vars
 * wins over task vars and loses to set_fact, whichever came first.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, type BothRuns } from '../helpers/local-both.js'

const FILES: Record<string, string> = {
  'roles/r/vars/main.yml': 'a: rolevars\nb: rolevars\nc: rolevars\n',
  'roles/r/defaults/main.yml': 'rd: roledefault\n',
  'roles/r/tasks/main.yml': `- name: "seen in r {{ tag }}"
  debug: { msg: "a={{ a }} b={{ b }} c={{ c }} x={{ x | default('U') }} rd={{ rd }}" }
- set_fact: { b: setfact }
- name: "seen in r after set_fact {{ tag }}"
  debug: { msg: "b={{ b }}" }
- name: "seen in r task var {{ tag }}"
  debug: { msg: "c={{ c }}" }
  vars: { c: taskvar }
`,
  'roles/pub/defaults/main.yml': 'pd: pubdefault\n',
  'roles/pub/tasks/main.yml': '- debug: { msg: in pub }\n',
  'roles/dep/vars/main.yml': 'dv: depvars\n',
  'roles/dep/tasks/main.yml': `- name: seen in dep
  debug: { msg: "dp={{ dp }} tp={{ tp | default('U') }} dv={{ dv }}" }
- set_fact: { dp: setfact }
- name: seen in dep after set_fact
  debug: { msg: "dp={{ dp }}" }
`,
  'roles/top/meta/main.yml': `dependencies:
  - role: dep
    dp: depparam
    vars: { dv: depentry, dvx: depentry }
`,
  'roles/top/tasks/main.yml': `- name: seen in top
  debug: { msg: "dp={{ dp }} tp={{ tp }} dv={{ dv }} dvx={{ dvx }} tv={{ tv }}" }
  changed_when: true
  notify: h
`,
  'roles/top/handlers/main.yml': `- name: seen in the handler
  listen: h
  debug: { msg: "tp={{ tp }} tv={{ tv }}" }
`,
  'inc.yml': `- set_fact: { v: setfact, item: setfact }
- name: seen in include
  debug: { msg: "v={{ v }} item={{ item }}" }
- include_tasks: inner.yml
  vars: { v: inner }
`,
  'inner.yml': `- name: seen in nested include
  debug: { msg: "v={{ v }} o={{ o }} item={{ item }}" }
`,
  'site.yml': `- hosts: localhost
  gather_facts: false
  vars: { tag: entry }
  roles:
    - role: r
      vars: { a: entryvars, x: entryvars }
      c: param
    - role: top
      tp: topparam
      vars: { tv: topentry }
  tasks:
    - name: seen in the play after roles
      debug: { msg: "a={{ a }} b={{ b }} c={{ c }} x={{ x }} tp={{ tp | default('U') }} dv={{ dv }} dvx={{ dvx }} tv={{ tv }}" }

- hosts: localhost
  gather_facts: false
  vars: { x: playvars, tag: import }
  tasks:
    - name: seen before the import
      debug: { msg: "x={{ x }} a={{ a }}" }
    - import_role: { name: r }
      vars: { x: importvars, c: importvars }
    - name: seen after the import
      debug: { msg: "x={{ x }} c={{ c }}" }

- hosts: localhost
  gather_facts: false
  vars: { tag: include }
  tasks:
    - name: seen before public include
      debug: { msg: "pd={{ pd | default('U') }} y={{ y | default('U') }}" }
    - include_role: { name: r }
      vars: { b: includevars, c: includevars, y: includevars }
    - name: seen after the include
      debug: { msg: "b={{ b }} y={{ y | default('U') }}" }
    - include_role: { name: pub, public: true }
      vars: { y: publicvars }
    - name: seen after public include
      debug: { msg: "pd={{ pd | default('U') }} y={{ y | default('U') }}" }
    - include_tasks: inc.yml
      loop: [looped]
      vars: { v: include, o: include }
    - name: seen after include_tasks
      debug: { msg: "v={{ v }}" }
    - set_fact: { iv: setfact }
    - include_vars: iv.yml
    - name: seen include_vars after set_fact
      debug: { msg: "iv={{ iv }} iv2={{ iv2 }}" }
    - name: seen include_vars over a task var
      debug: { msg: "iv2={{ iv2 }}" }
      vars: { iv2: taskvar }
`,
  'iv.yml': 'iv: includevars\niv2: includevars\n',
}

describe('role and include variables where Ansible puts them', () => {
  let dir = ''
  let both: BothRuns
  before(async () => {
    dir = localPlaybookDir('role-vars', FILES)
    both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml'])
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('shows every variable as ansible-playbook does', () => {
    const { ours, theirs, doc, ansible } = both
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    // Ansible's json callback names a role's task `role : name`
    const their = ansible.plays.flatMap((p) => p.tasks.map((t) => [t.task.name.replace(/^\S+ : /, ''), t.hosts.localhost?.msg] as const))
    const mine = doc.results.map((r) => [r.task.name ?? '', r.output] as const)
    const seen = Object.fromEntries(mine.filter(([n]) => n.startsWith('seen')))
    assert.deepEqual(seen, Object.fromEntries(their.filter(([n]) => n.startsWith('seen'))))
    // the cases this file is about, spelled out
    const expect: Record<string, string> = {
      'seen in r entry': 'a=rolevars b=rolevars c=param x=entryvars rd=roledefault',
      'seen in r after set_fact entry': 'b=setfact',
      'seen in r task var entry': 'c=param',
      'seen in dep': 'dp=depparam tp=topparam dv=depvars',
      'seen in dep after set_fact': 'dp=depparam',
      'seen in the play after roles': 'a=rolevars b=setfact c=rolevars x=entryvars tp=U dv=depvars dvx=depentry tv=topentry',
      'seen before the import': 'x=importvars a=rolevars',
      'seen after the import': 'x=importvars c=rolevars',
      'seen in r after set_fact include': 'b=includevars',
      'seen in r task var include': 'c=includevars',
      'seen after the include': 'b=setfact y=U',
      'seen before public include': 'pd=U y=U',
      'seen after public include': 'pd=pubdefault y=publicvars',
      'seen in include': 'v=include item=looped',
      'seen in nested include': 'v=inner o=include item=looped',
      'seen after include_tasks': 'v=setfact',
      'seen in the handler': 'tp=topparam tv=topentry',
      'seen include_vars after set_fact': 'iv=setfact iv2=includevars',
      'seen include_vars over a task var': 'iv2=includevars',
    }
    for (const [name, msg] of Object.entries(expect)) if (seen[name] !== msg) throw new Error(`${name}: ${String(seen[name])}, expected ${msg}`)
  })
})
