/**
 * Hostile strings in every place a user value reaches a host: file contents and names, paths,
 * command argv, a command line built with `quote`, environment values, chdir and creates, lines,
 * templates, registered output, extra vars and inventory vars, become_user. On a host as root and
 * on one as a sudo user. Nothing may run from a string (a canary `pwned-*` file would show it) and
 * every value must arrive exactly, byte for byte.
 */
import assert from 'node:assert/strict'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Testbed } from '../helpers/testbed-fixture.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { assertNoStackTrace, recapOf, runAcplay, scratch } from './helpers.js'
import { ROOT } from '../helpers/cli.js'

/** No '/' or NUL (they are file names too), each under 255 bytes. */
export const HOSTILE = [
  '$(touch pwned-1)',
  '`touch pwned-2`',
  "'; touch pwned-3; echo '",
  '"; touch pwned-4; echo "',
  'a; touch pwned-5',
  'a && touch pwned-6 || touch pwned-6b',
  '| touch pwned-7',
  '> pwned-8',
  '-rf',
  '--help',
  '*',
  '~root',
  '$HOME ${IFS} $1 $@ $$',
  'back\\slash \\n \\\' \\"',
  '%s%n%x %d',
  `'"'"'`,
  'é ünï 中文 🙂',
  '\u001b[31mred\u001b[0m',
  '  leading and trailing  ',
  'line1\nline2',
  '#not a comment',
  '!event !!',
  'a\tb',
  'x'.repeat(200),
  ';',
]

const PLAY = `- hosts: all
  gather_facts: false
  vars:
    d: /srv/h
  tasks:
    - file: {path: "{{ d }}/{{ item }}", state: directory}
      loop: [copy, names, touch, dirs, tpl, argv, free, env]
    - name: copy content
      copy: {dest: "{{ d }}/copy/{{ item.i }}", content: "{{ item.s }}"}
      loop: "{{ hostile }}"
    - name: copy dest name
      copy: {dest: "{{ d }}/names/{{ item.s }}", content: "{{ item.i }}"}
      loop: "{{ hostile }}"
    - name: file path
      file: {path: "{{ d }}/touch/{{ item.s }}", state: touch}
      loop: "{{ hostile }}"
    - name: directory path
      file: {path: "{{ d }}/dirs/{{ item.s }}", state: directory}
      loop: "{{ hostile }}"
    - name: a line
      lineinfile: {path: "{{ d }}/lines", line: "{{ item.s }}", create: true}
      loop: "{{ hostile }}"
      when: not item.nl
    - name: a template
      template: {src: "{{ tpl }}", dest: "{{ d }}/tpl/{{ item.i }}"}
      loop: "{{ hostile }}"
    - name: command argv
      command:
        argv: [/bin/sh, -c, 'printf %s "$1" > "$2"', sh, "{{ item.s }}", "{{ d }}/argv/{{ item.i }}"]
      loop: "{{ hostile }}"
    - name: a command line made with quote
      command: /usr/bin/touch {{ d }}/free/{{ item.s | quote }}
      loop: "{{ hostile }}"
    - name: an environment value
      shell: printf %s "$HOSTILE" > {{ d }}/env/{{ item.i }}
      environment: {HOSTILE: "{{ item.s }}"}
      loop: "{{ hostile }}"
    - name: chdir
      command: {cmd: touch here, chdir: "{{ d }}/dirs/{{ item.s }}"}
      loop: "{{ hostile }}"
    - name: creates (exists, so skipped)
      command: {cmd: "touch {{ d }}/created-{{ item.i }}", creates: "{{ d }}/touch/{{ item.s }}"}
      loop: "{{ hostile }}"
    - name: registered output
      command: {argv: [printf, "%s", "{{ item.s }}"]}
      loop: "{{ hostile }}"
      register: out
    - copy: {dest: "{{ d }}/registered.json", content: "{{ out.results | map(attribute='stdout') | list | to_json }}"}
    - name: inventory and extra vars, whole
      copy: {dest: "{{ d }}/vars.json", content: "{{ {'inv': hostile_inv, 'extra': one_extra} | to_json }}"}
    - name: become_user
      command: id -un
      become: true
      become_user: "{{ item.s }}"
      loop: "{{ hostile }}"
      ignore_errors: true
`

/** Exactly what the host has: a file's bytes as base64, names NUL-separated. */
const readBack = async (b: Testbed, host: string, script: string) => {
  const r = await b.exec(host, script)
  assert.equal(r.rc, 0, r.stderr)
  return r.stdout
}

describe('hostile strings reach hosts exactly and run nothing', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['x1', 'x2'])
  const dir = scratch('faults-hostile', { 'play.yml': PLAY, 'tpl.j2': '<{{ item.s }}>' })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const items = HOSTILE.map((s, i) => ({ i, s, nl: s.includes('\n') }))
  let run: Awaited<ReturnType<typeof runAcplay>>

  before(async () => {
    const b = bed()
    writeFileSync(join(dir, 'vars.json'), JSON.stringify({ hostile: items, one_extra: HOSTILE[0], tpl: join(dir, 'tpl.j2') }))
    // the same strings as inventory vars (YAML: any string survives), on a root host and a sudo host
    const hosts = b.hosts.map((h, n) => ({
      [h.name]: {
        ansible_host: h.address,
        ansible_user: n === 0 ? 'root' : 'deploy',
        ansible_become: n === 1,
        ansible_ssh_private_key_file: b.key,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHostsFile}`,
      },
    }))
    const inventory = { all: { hosts: Object.assign({}, ...hosts), vars: { hostile_inv: HOSTILE } } }
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory))
    run = await runAcplay(['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory.json'), '-e', `@${join(dir, 'vars.json')}`], { cwd: dir })
  })

  it('the run succeeds on both hosts; become_user with a hostile name fails cleanly, every time', () => {
    assertNoStackTrace(run)
    assert.equal(run.code, 0, run.stdout + run.stderr)
    for (const h of ['x1', 'x2']) {
      const recap = recapOf(run.stdout, h)!
      assert.equal(recap.failed, 0, h)
      assert.equal(recap.ignored, 1, `${h}: the become_user task's items all failed (ignored)`)
    }
    const section = run.stdout.slice(run.stdout.indexOf('TASK [become_user]'), run.stdout.indexOf('PLAY RECAP'))
    // one `failed: [host] (item=...) => {...}` per item, as Ansible prints them; a multi-line message follows its line
    const items = section.split('\n').filter((l) => /^failed: \[x\d\] \(item=/.test(l))
    assert.equal(items.length, 2 * HOSTILE.length, `an item line for each name, on each host:\n${section}`)
    const refusals = section.match(/E_BECOME: become to [\s\S]*? refused on x\d/g) ?? []
    assert.ok(refusals.length >= 2 * HOSTILE.length, `sudo refused each name, on each host:\n${section}`)
  })

  it('nothing ran from a string: no canary file on the hosts or the controller', async () => {
    for (const h of ['x1', 'x2']) assert.equal(await readBack(bed(), h, "find / -xdev -name 'pwned*' 2>/dev/null | head"), '', h)
    const local = [...readdirSync(dir), ...readdirSync(ROOT)].filter((n) => n.startsWith('pwned'))
    assert.deepEqual(local, [])
    for (const h of ['x1', 'x2']) assert.equal(await readBack(bed(), h, 'ls /srv/h | grep -c created- || true'), '0\n', `${h}: creates was honoured`)
  })

  for (const h of ['x1', 'x2']) {
    it(`${h}: file contents, argv, environment, templates and registered output arrive byte for byte`, async () => {
      const b = bed()
      for (const place of ['copy', 'argv', 'env']) {
        const got = await readBack(b, h, `for i in $(seq 0 ${HOSTILE.length - 1}); do base64 -w0 < /srv/h/${place}/$i; echo; done`)
        const decoded = got
          .trimEnd()
          .split('\n')
          .map((l) => Buffer.from(l, 'base64').toString('utf8'))
        assert.deepEqual(decoded, HOSTILE, place)
      }
      const tpl = await readBack(b, h, `for i in $(seq 0 ${HOSTILE.length - 1}); do base64 -w0 < /srv/h/tpl/$i; echo; done`)
      assert.deepEqual(
        tpl
          .trimEnd()
          .split('\n')
          .map((l) => Buffer.from(l, 'base64').toString('utf8').replace(/\n$/, '')),
        HOSTILE.map((s) => `<${s}>`),
        'template',
      )
      assert.deepEqual(JSON.parse(await readBack(b, h, 'cat /srv/h/registered.json')), HOSTILE, 'registered stdout')
      assert.deepEqual(JSON.parse(await readBack(b, h, 'cat /srv/h/vars.json')), { inv: HOSTILE, extra: HOSTILE[0] }, 'inventory and extra vars')
      const lines = (await readBack(b, h, 'cat /srv/h/lines')).split('\n').slice(0, -1)
      assert.deepEqual(
        lines,
        HOSTILE.filter((s) => !s.includes('\n')),
        'lineinfile lines',
      )
    })

    it(`${h}: file and directory names, a quoted command line and chdir name exactly the strings`, async () => {
      const b = bed()
      const names = async (d: string) => (await readBack(b, h, `find /srv/h/${d} -mindepth 1 -maxdepth 1 -printf '%f\\0'`)).split('\0').slice(0, -1).sort()
      // a path argument is expanded on the host as Ansible's check_type_path expands it
      // (os.path.expandvars: $HOME is root's home, `${IFS} $1 $@ $$` stay); a quoted command line is not
      const asPath = (s: string) => s.replace('$HOME ', 'root ')
      for (const d of ['names', 'touch', 'dirs']) assert.deepEqual(await names(d), HOSTILE.map(asPath).sort(), d)
      assert.deepEqual(await names('free'), [...HOSTILE].sort(), 'free')
      const here = await readBack(b, h, `find /srv/h/dirs -mindepth 2 -name here -printf . | wc -c`)
      assert.equal(here.trim(), String(HOSTILE.length), 'chdir reached each directory')
      const copied = await readBack(b, h, `cd /srv/h/names && for f in *; do printf '%s\\0' "$(cat -- "$f")"; done`)
      assert.equal(copied.split('\0').length - 1, HOSTILE.length)
    })
  }
})
