/**
 * What ansible-playbook's default output calls the tasks of a role (against Debian's, run with
 * `-c local` on a host list, as people try a role on their own machine): an include_role inside a
 * role is shown without that role's name, named or not; an include_tasks and the role's own tasks
 * with it; an unnamed include by its action as written (`ansible.builtin.include_tasks`). And `-c local` itself: the host list's hosts run on the controller in both tools. And
 * a delegated task's line: `ok: [web1 -> db1(ADDRESS)]`, the delegate named (with its address when
 * that differs) on every line but a skip's. And --list-tasks (--list-tags, --list-hosts with it): a named task as `role : name`, an
 * unnamed one as its action as written, with --tags / --skip-tags applied.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, BIN, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

// strategy free with the lines in one order: far2 waits until far1's last task has made `mark`
const FREE_WAIT = `    - name: "wait {{ inventory_hostname }}"
      shell: "{{ 'true' if inventory_hostname == 'far1' else 'until [ -e ' ~ mark ~ ' ]; do sleep 0.1; done; sleep 1' }}"
      changed_when: false
`

const FILES = {
  'roles/inner/tasks/main.yml': '- command: "true"\n  changed_when: false\n',
  'roles/outer/tasks/main.yml': `- name: a named include_role
  include_role: { name: inner }
- include_role: { name: inner }
- include_tasks: more.yml
- ansible.builtin.include_tasks: more.yml
- ansible.builtin.include_role: { name: inner }
- name: a named include_tasks
  include_tasks: more.yml
- name: a named import_role
  import_role: { name: inner }
`,
  'roles/outer/tasks/more.yml': '- debug: { msg: more }\n',
  'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [outer]\n',
  // arguments apt refuses, on tasks that may not run: they fail where they run, in both tools
  'unrun.yml': `- hosts: all
  gather_facts: false
  tasks:
    - apt: { name: ntp, state: installed }
      when: ansible_os_family | default('x') == 'RedHat'
    - block:
        - command: echo hi
          args: { warn: false }
      when: false
    - { command: "true", notify: h, changed_when: false }
    - apt: { name: ntp, state: installed }
      check_mode: true
      when: true
  handlers:
    - { name: h, command: echo, args: { warn: false } }
`,
  'inc.yml': '- debug: { msg: "included {{ a | default(0) }} {{ item | default(0) }}" }\n',
  // Ansible 2.14's deprecated include (static unless templated or looped), a looped include_tasks, args: apply
  // meta tasks: a header per host for those Ansible runs per host, one for the others (run once),
  // `skipping:` (not counted) where the when is false, the name as written (never templated)
  'meta.yml': `- hosts: all
  gather_facts: false
  tasks:
    - { debug: { msg: a }, changed_when: true, notify: h }
    - { name: flush now, meta: flush_handlers }
    - meta: flush_handlers
    - meta: noop
    - { name: end when false, meta: end_host, when: false }
    - { name: end for far2, meta: end_host, when: inventory_hostname == 'far2' }
    - { ansible.builtin.meta: clear_host_errors }
    - { name: "end play when false {{ inventory_hostname }}", meta: end_play, when: false }
    - debug: { msg: b }
  handlers:
    - { name: h, debug: { msg: h } }
`,
  'legacy.yml': `- hosts: all
  gather_facts: false
  vars: { f: inc.yml }
  tasks:
    - include: inc.yml a=1
    - include: "{{ f }}"
    - include: inc.yml
      loop: [x, y]
    - include_tasks: inc.yml
      loop: [x, y]
      loop_control: { label: "L{{ item }}" }
    - include_tasks: inc.yml
      args: { apply: { tags: [t1] } }
      tags: [always]
    - name: never
      include: inc.yml
      when: false
`,
  'tagged.yml': `- hosts: all
  gather_facts: false
  tags: [p]
  roles: [outer]
  tasks:
    - { name: one, debug: { msg: 1 }, tags: [a, z] }
    - block:
        - { name: two, debug: { msg: 2 }, tags: [b] }
      tags: [blk]
    - meta: flush_handlers
    - { ansible.builtin.debug: { msg: 3 }, tags: [a] }
`,
  'loops.yml': `- hosts: all
  gather_facts: false
  tasks:
    - { fail: { msg: "bad {{ item }}" }, when: item == 2, loop: [1, 2, 3], ignore_errors: true }
    - { command: "true", loop: [a, b], changed_when: false }
    - { debug: { msg: x }, loop: [1, 2], when: false }
    - block:
        - { fail: { msg: "bad {{ item }}" }, loop: [1] }
      rescue:
        - debug: { msg: rescued }
`,
  // strategy free (FREE_WAIT), then a serial batch of a one-task play
  'free.yml': `- hosts: all
  gather_facts: false
  tasks:
    - { name: linear first, debug: { msg: x } }
- hosts: all
  gather_facts: false
  strategy: free
  tasks:
${FREE_WAIT}    - { name: notify, debug: { msg: n }, changed_when: true, notify: h }
    - { name: only far2, command: "true", when: inventory_hostname == 'far2' }
    - { name: items, debug: { msg: "{{ item }}" }, loop: [1, 2], when: item == 2 }
    - { name: fails, command: "false", ignore_errors: true }
    - include_tasks: inc.yml
    - { name: "last {{ inventory_hostname }}", file: { path: "{{ mark }}", state: touch }, when: inventory_hostname == 'far1' }
  handlers:
    - { name: h, debug: { msg: h } }
- hosts: all
  gather_facts: false
  strategy: free
  serial: 1
  tasks:
    - { name: alone, debug: { msg: x } }
`,
  'delegated.ini': 'h1 ansible_connection=local\nd1 ansible_connection=local ansible_host=127.0.0.1\nd2 ansible_connection=local\n',
  'keyword-ssh.yml': `- hosts: all
  connection: ssh
  gather_facts: false
  tasks:
    - name: on the controller, as the task says
      command: echo here
      connection: local
    - name: over ssh, as the play says
      ping:
`,
  'delegated.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - { command: "true", delegate_to: d1, changed_when: false }
    - { command: "true", delegate_to: d2 }
    - { debug: { msg: x }, delegate_to: d1, loop: [1] }
    - { command: /bin/false, delegate_to: "{{ 'd1' }}", ignore_errors: true }
    - { local_action: { module: command, cmd: "true" }, when: false }
    - { command: "true", delegate_to: h1, changed_when: false }
    - { set_fact: { a: 1 }, delegate_to: d2 }
`,
}

const headers = (out: string) => out.split('\n').filter((l) => /^(TASK \[|included: )/.test(l))
// each result's first line up to its JSON (acplay's failure JSON is its own), and `...ignoring`
const lines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^(ok|changed|fatal|failed|skipping): |^\.\.\.ignoring/.test(l))
    .map((l) => l.replace(/ => \{.*$/, ''))

// every result's first line up to its JSON (acplay's failure JSON is its own), with the banners
const freeLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^(PLAY \[|TASK \[|RUNNING HANDLER|included: |ok: |changed: |fatal: |skipping: |\.\.\.ignoring|far)/.test(l))
    .map((l) => l.replace(/ => \{.*$/, '').replace(/\s+$/, ''))

describe("task headers of a role's includes, and -c local, as ansible-playbook", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('task-headers', FILES)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const bothRun = (args: string[]) =>
    Promise.all([
      acplay(['run', ...args], { cwd: dir }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: `${dir}/ansible.cfg` } }),
    ])

  // each tool with its own mark
  const freeRuns = (playbook: string) => {
    const run = (tool: string[], mark: string) =>
      capture([...tool, playbook, '-i', 'far1,far2', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3', '-e', `mark=${join(dir, mark)}`], {
        cwd: dir,
        env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: `${dir}/ansible.cfg` },
      })
    return Promise.all([run([process.execPath, BIN, 'run'], `${playbook}.ours`), run(['ansible-playbook'], `${playbook}.theirs`)])
  }

  it('the same TASK lines, the same recap', async () => {
    // a host that ssh cannot reach: -c local runs it on the controller
    const args = ['site.yml', '-i', 'far,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3']
    const [ours, theirs] = await bothRun(args)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(headers(ours.stdout), headers(theirs.stdout))
    assert.ok(
      headers(theirs.stdout).some((l) => l.startsWith('TASK [include_role : inner] *')) &&
        headers(theirs.stdout).some((l) => l.startsWith('TASK [ansible.builtin.include_role : inner] *')) &&
        headers(theirs.stdout).some((l) => l.startsWith('TASK [outer : ansible.builtin.include_tasks] *')),
      theirs.stdout,
    )
    const recap = (out: string) =>
      out
        .split('\n')
        .find((l) => l.startsWith('far '))
        ?.replace(/\s+$/, '')
    assert.equal(recap(ours.stdout), recap(theirs.stdout))
  })

  it("a play's connection: ssh overrides -c local, a task's connection: local the play's; -e gives the address ssh uses", async () => {
    // port 1 on loopback: nothing listens, both tools find the host unreachable over ssh
    const args = [
      'keyword-ssh.yml',
      '-i',
      'far,',
      '-c',
      'local',
      '-e',
      'ansible_host=127.0.0.1',
      '-e',
      'ansible_port=1',
      '-e',
      'ansible_python_interpreter=/usr/bin/python3',
    ]
    const [ours, theirs] = await bothRun(args)
    assert.equal(theirs.code, 4, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 4, ours.stdout + ours.stderr)
    assert.deepEqual(lines(ours.stdout), lines(theirs.stdout))
    assert.deepEqual(lines(theirs.stdout), ['changed: [far]', 'fatal: [far]: UNREACHABLE!'])
    assert.match(ours.stdout, /cannot connect to root@127\.0\.0\.1:1/)
  })

  it("a delegated task's lines name the delegate as Ansible's do", async () => {
    const args = ['delegated.yml', '-i', 'delegated.ini']
    const [ours, theirs] = await bothRun(args)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(lines(ours.stdout), lines(theirs.stdout))
    assert.ok(lines(theirs.stdout).includes('ok: [h1 -> d1(127.0.0.1)]'), theirs.stdout)
  })

  it("a loop's lines: each item's, and no line of its own for a failed item (as Ansible)", async () => {
    const args = ['loops.yml', '-i', 'far,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3']
    const [ours, theirs] = await bothRun(args)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(lines(ours.stdout), lines(theirs.stdout))
    assert.ok(!lines(theirs.stdout).some((l) => l.startsWith('fatal:')), theirs.stdout)
  })

  it("the deprecated include, a looped include_tasks (a line per item, each counted) and args' apply: the same lines, headers and recap", async () => {
    for (const extra of [[], ['--tags', 't1']]) {
      const args = ['legacy.yml', '-i', 'far,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3', ...extra]
      const [ours, theirs] = await bothRun(args)
      assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
      assert.equal(ours.code, 0, ours.stdout + ours.stderr)
      const shown = (out: string) => out.split('\n').filter((l) => /^(TASK \[|included: |ok: |skipping: |far )|"msg"/.test(l))
      assert.deepEqual(shown(ours.stdout), shown(theirs.stdout))
    }
    const [ours, theirs] = await bothRun(['legacy.yml', '-i', 'far,', '--list-tasks'])
    assert.equal(ours.stdout, theirs.stdout)
  })

  it('meta tasks: the same headers, skipping lines and recap as ansible-playbook', async () => {
    const [ours, theirs] = await bothRun(['meta.yml', '-i', 'far1,far2', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3'])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // two hosts' result lines under one header come in the order they finish, in Ansible too: compared sorted
    const shown = (out: string) => {
      const kept = out.split('\n').filter((l) => /^(TASK \[|RUNNING HANDLER|ok: |changed: |skipping: |far)/.test(l))
      const groups: string[][] = []
      for (const l of kept) {
        const result = /^(ok|changed|skipping): /.test(l)
        if (result && groups.at(-1)?.[0]?.match(/^(ok|changed|skipping): /)) groups.at(-1)!.push(l)
        else groups.push([l])
      }
      return groups.flatMap((g) => [...g].sort())
    }
    assert.deepEqual(shown(ours.stdout), shown(theirs.stdout))
    assert.ok(shown(theirs.stdout).includes('TASK [meta] ********************************************************************'), theirs.stdout)
  })

  it('meta tasks under the free strategy: a banner only above a skipping line, as ansible-playbook', async () => {
    // far2 waits for far1's last task to make `mark`, so the lines come in one order
    const play = FILES['meta.yml']
      .replace('gather_facts: false', 'gather_facts: false\n  strategy: free')
      .replace('  tasks:\n', `  tasks:\n${FREE_WAIT}`)
      .replace('    - debug: { msg: b }\n', '    - { file: { path: "{{ mark }}", state: touch }, when: inventory_hostname == \'far1\' }\n')
    writeFileSync(join(dir, 'meta-free.yml'), play)
    const [ours, theirs] = await freeRuns('meta-free.yml')
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(freeLines(ours.stdout), freeLines(theirs.stdout))
    assert.ok(
      freeLines(theirs.stdout).some((l) => l.startsWith('skipping: ')),
      theirs.stdout,
    )
  })

  it("the free strategy's banners: printed with a result whose task is not the last banner's, named as Ansible's free strategy names them", async () => {
    const [ours, theirs] = await freeRuns('free.yml')
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // the linear play's two results come in the order the hosts finish, in Ansible too: compared sorted
    const shown = (out: string) => {
      const all = freeLines(out)
      const at = all.findIndex((l) => l.startsWith('TASK [linear first]')) + 1
      return [...all.slice(0, at), ...all.slice(at, at + 2).sort(), ...all.slice(at + 2)]
    }
    assert.deepEqual(shown(ours.stdout), shown(theirs.stdout))
    // far2's banners again after far1's, named as rendered for far1 (a shared task) or for far2 (its own
    // copy after its include); a serial batch's result of the task the last banner named has none
    const count = (prefix: string) => shown(theirs.stdout).filter((l) => l.startsWith(prefix)).length
    assert.deepEqual([count('TASK [wait far1]'), count('TASK [last far2]'), count('TASK [alone]')], [2, 1, 1], theirs.stdout)
  })

  it('bad arguments on a task that may not run fail it where it runs, not the load: the same lines and recap', async () => {
    const [ours, theirs] = await bothRun(['unrun.yml', '-i', 'far,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3'])
    assert.equal(theirs.code, 2, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 2, ours.stdout + ours.stderr)
    assert.deepEqual(lines(ours.stdout), lines(theirs.stdout))
    const recap = (out: string) => out.split('\n').find((l) => l.startsWith('far '))
    assert.equal(recap(ours.stdout), recap(theirs.stdout))
    assert.match(ours.stdout, /unrun\.yml:11:7: argument 'state' must be one of/)
  })

  it('--list-tasks, --list-tags and --list-hosts, alone and together, print what ansible-playbook prints, with --tags and --skip-tags', async () => {
    const lists = [['--list-tasks'], ['--list-tags'], ['--list-hosts', '--list-tasks', '--list-tags']]
    for (const extra of lists.flatMap((l) => [l, [...l, '--tags', 'a'], [...l, '--skip-tags', 'b']])) {
      const args = ['tagged.yml', '-i', 'far,', ...extra]
      const [ours, theirs] = await bothRun(args)
      assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
      assert.equal(ours.stdout, theirs.stdout, extra.join(' '))
    }
  })
})
