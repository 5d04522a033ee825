/**
 * The engine's actions on real hosts: add_host, group_by, set_fact, assert, fail, debug, pause,
 * set_stats and meta against Debian's ansible-playbook on a sibling host (same recap counts, same
 * values); a module Ansible has and acplay lacks; reboot and wait_for_connection with a host that
 * really reboots (the testbed boots it again, as a hypervisor would) and the play going on after.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { mkdirSync } from 'node:fs'
import { acplay, capture } from '../helpers/cli.js'
import { parseRecap, runPlaybook, type PlaybookRun } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const MINE = 'act1'
const THEIRS = 'act2'

/** Every play prints its findings as `CHECK ...` debug messages, the same on both tools (no host names in them). */
const PLAYBOOK = `
- name: inventory changes
  hosts: all
  gather_facts: false
  tasks:
    - name: two hosts added once per batch, the loop on the first host
      add_host:
        name: "{{ item }}"
        groups: "added, web"
        ansible_host: "{{ ansible_host }}"
        ansible_user: root
        ansible_ssh_private_key_file: "{{ ansible_ssh_private_key_file }}"
        ansible_ssh_common_args: "{{ ansible_ssh_common_args }}"
        tier: "{{ item | upper }}"
      loop: [extra1, extra2]
      register: added
    - name: the same again changes nothing
      add_host: name=extra1 groups=added
      register: again
    - add_host: {name: extra2, groups: [db]}
      register: listed
    - group_by:
        key: "os_{{ 'debian' }}"
        parents: [linux, family]
      register: grouped
    - group_by: key=os_debian
      register: regrouped
    - set_fact:
        flag: "yes"
        disabled: "no"
        count: 3
        cached: x
        cacheable: true
    - assert:
        that: [flag, "not disabled", "count == 3"]
      register: asserted
    - assert:
        that: "count == 4"
        fail_msg: not four
      register: refuted
      ignore_errors: true
    - fail: msg=expected
      ignore_errors: true
    - debug: var=nothing_here
      register: undefined_var
    - debug: {msg: never shown, verbosity: 3}
      register: quiet
    - pause: {seconds: 1}
      register: paused
    - pause: {prompt: no terminal here}
      register: prompted
    - set_stats: {data: {rows: 2}}
      register: stats
    - debug:
        msg: >-
          CHECK {{ added.results | map(attribute='changed') | list }}
          {{ added.results[1].add_host.groups }} {{ added.results[1].add_host.host_vars.tier }}
          {{ again.changed }} {{ hostvars['extra1']['tier'] }} {{ grouped.changed }} {{ grouped.add_group }} {{ grouped.parent_groups }}
          {{ regrouped.changed }} {{ flag }} {{ disabled }} {{ listed.changed }} {{ groups.db }} {{ asserted.msg }} {{ refuted.msg }}
          {{ refuted.evaluated_to }} {{ refuted.assertion }} {{ undefined_var.nothing_here }} {{ quiet.skipped }}
          {{ paused.delta }} {{ paused.stdout is match('Paused for 1[.][0-9]+ seconds') }} {{ paused.user_input | length }} {{ prompted.delta }}
          {{ stats.ansible_stats }} {{ groups.added }} {{ groups.web }} {{ groups.os_debian | length }}
          {{ groups.linux | length }} {{ group_names }}
    - meta: clear_facts
      when: false
    - meta: noop
    - meta: reset_connection
    - command: "true"

- name: the added hosts, with their variables
  hosts: added
  gather_facts: false
  tasks:
    - command: cat /proc/sys/kernel/random/boot_id
      register: boot
      check_mode: false
    - debug:
        msg: "CHECK {{ tier }} {{ group_names }} {{ boot.stdout | length }}"

- name: groups made by group_by select hosts
  hosts: os_debian:&linux
  gather_facts: false
  tasks:
    - debug: msg="CHECK {{ cached }} {{ group_names }}"
    - meta: end_host
      when: cached == 'x'
    - debug: msg=never

- name: end_batch
  hosts: added
  serial: 1
  gather_facts: false
  tasks:
    - debug: msg="CHECK batch {{ tier }}"
    - meta: end_batch
    - debug: msg=never
`

/** The CHECK lines, sorted: Ansible prints parallel hosts' results in the order they finish. */
const checks = (r: PlaybookRun) =>
  r.stdout
    .split('\n')
    .filter((l) => l.includes('"CHECK'))
    .sort()

describe('engine actions on real hosts, against ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed([MINE, THEIRS])
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-actions-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  let mine: PlaybookRun
  it('add_host, group_by, set_fact, assert, debug, pause, set_stats, meta: the same results and recap as Ansible', async () => {
    const [a, theirs] = await Promise.all([runPlaybook('acplay', bed(), MINE, PLAYBOOK), runPlaybook('ansible', bed(), THEIRS, PLAYBOOK)])
    mine = a
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(mine.code, 0, mine.stdout + mine.stderr)
    assert.deepEqual(checks(mine), checks(theirs), `${mine.stdout}\n----\n${theirs.stdout}`)
    assert.equal(checks(mine).length, 6, mine.stdout)
    assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n----\n${theirs.stdout}`)
    for (const h of ['extra1', 'extra2']) assert.deepEqual(parseRecap(mine.stdout, h), parseRecap(theirs.stdout, h), h)
    // the prompt without a terminal did not wait; the warning says why
    assert.match(mine.stdout + mine.stderr, /Not waiting for response to prompt as stdin is not interactive/)
  })

  it('the same run again reports the same (add_host and group_by change a fresh inventory each run)', async () => {
    const again = await runPlaybook('acplay', bed(), MINE, PLAYBOOK)
    assert.equal(again.code, 0, again.stdout)
    assert.deepEqual(again.recap, mine.recap)
    assert.deepEqual(checks(again), checks(mine))
  })

  it('check mode predicts the run: the counts of ansible-playbook --check, but a command that would run is changed', async () => {
    const [a, theirs] = await Promise.all([
      runPlaybook('acplay', bed(), MINE, PLAYBOOK, { check: true }),
      runPlaybook('ansible', bed(), THEIRS, PLAYBOOK, { check: true }),
    ])
    assert.equal(a.code, 0, a.stdout + a.stderr)
    // one deliberate difference: the last `command: "true"` would run, so acplay predicts it changed
    // (as the run reports it); Ansible's check mode skips it (docs/compat.md)
    const expected = { ...theirs.recap, changed: theirs.recap.changed + 1, ok: theirs.recap.ok + 1, skipped: theirs.recap.skipped - 1 }
    assert.deepEqual(a.recap, expected, `${a.stdout}\n----\n${theirs.stdout}`)
    assert.deepEqual(checks(a), checks(theirs))
  })

  it("group_vars of a group made by group_by apply from then on, as Ansible's vars plugin reads them", async () => {
    const gdir = join(dir, 'grouped')
    mkdirSync(join(gdir, 'group_vars'), { recursive: true })
    writeFileSync(join(gdir, 'group_vars', 'os_debian.yml'), 'via_group_vars: 42\n')
    writeFileSync(
      join(gdir, 'site.yml'),
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - group_by: key=os_debian\n    - debug: msg="CHECK {{ via_group_vars | default(0) }} {{ group_names }}"\n',
    )
    const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(gdir, 'none.cfg'), ANSIBLE_LOCAL_TEMP: join(gdir, 'tmp') }
    const [a, b] = await Promise.all([
      acplay(['run', join(gdir, 'site.yml'), '-i', bed().inventory({ hosts: [MINE] })]),
      capture(['ansible-playbook', join(gdir, 'site.yml'), '-i', bed().inventory({ hosts: [THEIRS] })], { env }),
    ])
    const line = (out: string) => out.split('\n').find((l) => l.includes('"CHECK'))
    assert.equal(line(b.stdout), `    "msg": "CHECK 42 ['os_debian']"`, b.stdout)
    assert.equal(line(a.stdout), line(b.stdout), a.stdout)
  })

  it("a module Ansible has and acplay lacks: skipped when its when is false; when it runs, Ansible's own module from the controller, or a failure naming file:line", async () => {
    const playbook = join(dir, 'unsupported.yml')
    writeFileSync(
      playbook,
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - yum: name=httpd state=present',
        "      when: ansible_os_family == 'RedHat'",
        '    - ansible.posix.seboolean: {name: httpd_can_network_connect, state: true, persistent: true}',
        '      when: false',
        '    - community.docker.docker_container: {name: web, image: nginx}',
        '      ignore_errors: true',
        '    - win_shell: dir',
        '      when: false',
        '    - win_shell: dir',
        '      ignore_errors: true',
        '    - debug: msg=after',
        '',
      ].join('\n'),
    )
    const r = await acplay(['run', playbook, '-i', bed().inventory({ hosts: [MINE] }), '-e', 'ansible_os_family=Debian'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    // docker_container runs from the controller's Ansible, and fails on the host as Ansible's does (no Docker SDK there)
    assert.match(
      r.stdout,
      /TASK \[community\.docker\.docker_container\][^\n]*\nfatal: \[[^\]]+\]: FAILED! => \{"msg": "Failed to import the required Python library/,
    )
    // a PowerShell module cannot run on a Linux host: the failure names the task's file:line
    assert.match(
      r.stdout,
      new RegExp(
        `E_UNSUPPORTED_MODULE: ${playbook.replaceAll('/', '\\/')}:12:7: module 'win_shell' is not supported by acplay: ansible.windows.win_shell is a PowerShell module for Windows hosts`,
      ),
    )
    assert.deepEqual(parseRecap(r.stdout, MINE), { ok: 3, changed: 0, unreachable: 0, failed: 0, skipped: 3 })
    // a name neither knows stays a load-time error, with module suggestions only
    writeFileSync(playbook, '- hosts: all\n  tasks:\n    - dnff: name=x\n')
    const bad = await acplay(['run', playbook, '-i', bed().inventory({ hosts: [MINE] })])
    assert.equal(bad.code, 4)
    assert.match(bad.stderr + bad.stdout, /unknown module 'dnff' \(did you mean: dnf[,?]/)
  })

  it('reboot: the host really reboots, the run reconnects and goes on; check mode reboots nothing', async () => {
    const playbook = join(dir, 'reboot.yml')
    writeFileSync(
      playbook,
      `- hosts: all
  gather_facts: false
  tasks:
    - command: cat /proc/sys/kernel/random/boot_id
      register: before
    - copy: {dest: /run/acplay-marker, content: "up\\n"}
    - reboot: {msg: "acplay test", reboot_timeout: 120, connect_timeout: 5}
      register: rebooted
    - command: cat /proc/sys/kernel/random/boot_id
      register: after
    - stat: {path: /run/acplay-marker}
      register: marker
    - wait_for_connection: {timeout: 30}
      register: waited
    - assert:
        that:
          - rebooted.rebooted
          - rebooted.changed
          - rebooted.elapsed is number
          - ansible_check_mode or before.stdout != after.stdout
          - ansible_check_mode or not marker.stat.exists
          - ansible_check_mode or waited.elapsed is number
`,
    )
    const inv = bed().inventory({ hosts: [MINE] })
    const check = await acplay(['run', playbook, '-i', inv, '--check'])
    assert.equal(check.code, 0, check.stdout + check.stderr)
    // the two commands would run: changed, as the run reports them (Ansible's check mode skips them)
    assert.deepEqual(parseRecap(check.stdout, MINE), { ok: 6, changed: 4, unreachable: 0, failed: 0, skipped: 1 }, check.stdout)
    const t0 = Date.now()
    const [r, cameBack] = await Promise.all([acplay(['run', playbook, '-i', inv]), bed().bootAgainWhenDown(MINE, 60_000)])
    assert.ok(cameBack, 'the host never went down')
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.deepEqual(parseRecap(r.stdout, MINE), { ok: 7, changed: 4, unreachable: 0, failed: 0, skipped: 0 }, r.stdout)
    assert.ok(Date.now() - t0 < 90_000)
  })
})
