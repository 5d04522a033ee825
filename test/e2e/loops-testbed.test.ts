/**
 * with_ loops driving modules on real hosts, run by ansible-playbook on one and by acplay on a
 * sibling: with_subelements (users' key directories, skip_missing), with_fileglob (copying the
 * files a glob finds), with_first_found on include_vars (the vars/ directory first), with_dict,
 * with_sequence, with_nested and loop_control; the same changed counts and end state; on the
 * converged host acplay changes nothing, in check mode or for real.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'
import { runPlaybook } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    distro: Debian
    people:
      - name: lka
        keys: [laptop, desktop]
      - name: lkb
        keys: [phone]
      - name: lkc
    settings: {alpha: 1, beta: two}
  tasks:
    - name: users
      user: {name: "{{ item.name }}", shell: /bin/sh}
      loop: "{{ people }}"
      loop_control: {label: "{{ item.name }}"}
    - name: key directories
      file: {path: "/home/{{ item.0.name }}/.ssh/keys.d/{{ item.1 }}", state: directory, mode: "0700", owner: "{{ item.0.name }}"}
      with_subelements: ["{{ people }}", keys, {skip_missing: true}]
    - name: config directory
      file: {path: /etc/lk, state: directory, mode: "0755"}
    - name: config files
      copy: {src: "{{ item }}", dest: "/etc/lk/{{ item | basename }}", mode: "0644"}
      with_fileglob: ["conf/*.conf"]
    - name: os vars
      include_vars: "{{ item }}"
      with_first_found: ["{{ distro }}.yml", default.yml]
    - name: os file
      copy: {content: "{{ os_var }}\\n", dest: /etc/lk/os}
    - name: settings
      lineinfile: {path: /etc/lk/settings, line: "{{ item.key }}={{ item.value }}", create: true}
      with_dict: "{{ settings }}"
    - name: numbered
      file: {path: "/etc/lk/n{{ item }}", state: touch, modification_time: preserve, access_time: preserve}
      with_sequence: start=1 end=3 format=%02d
    - name: pairs
      lineinfile: {path: /etc/lk/pairs, line: "{{ item.0 }}-{{ item.1 }} {{ i }}", create: true}
      with_nested: [[a, b], [x]]
      loop_control: {index_var: i}
`
const FILES = {
  'files/conf/one.conf': 'one\n',
  'files/conf/two.conf': 'two\n',
  'files/conf/skip.txt': 'not a conf\n',
  'vars/Debian.yml': 'os_var: from-vars-dir\n',
  'Debian.yml': 'os_var: from-play-dir\n',
  'vars/default.yml': 'os_var: default\n',
}
const STATE =
  'cd /etc/lk && for f in *; do printf "%s %s\\n" "$f" "$(stat -c %a "$f")"; cat "$f"; done; ' +
  'find /home/lka /home/lkb /home/lkc -path "*/.ssh*" -printf "%p %m %u\\n" 2>&1 | sort; getent passwd lka lkb lkc | cut -d: -f1,7'

describe('with_ loops driving modules: acplay and ansible-playbook on sibling hosts', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['loops-ans', 'loops-acp'])
  const state = async (host: string) => (await bed().exec(host, STATE)).stdout
  const runJson = async (host: string): Promise<JsonDocument> => {
    const dir = mkdtempSync(join(tmpdir(), 'acplay-loops-'))
    try {
      writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
      for (const [rel, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true })
        writeFileSync(join(dir, rel), text)
      }
      const r = await acplay(['run', join(dir, 'site.yml'), '-i', bed().inventory({ hosts: [host] }), '--json'])
      assert.equal(r.code, 0, r.stdout + r.stderr)
      return JSON.parse(r.stdout) as JsonDocument
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('the same changed counts and end state; a second run changes nothing', async () => {
    const [ans, acp] = await Promise.all([
      runPlaybook('ansible', bed(), 'loops-ans', PLAYBOOK, { files: FILES }),
      runPlaybook('acplay', bed(), 'loops-acp', PLAYBOOK, { files: FILES }),
    ])
    assert.equal(ans.code, 0, ans.stdout + ans.stderr)
    assert.equal(acp.code, 0, acp.stdout + acp.stderr)
    assert.deepEqual(acp.recap, ans.recap)
    assert.equal(acp.recap.changed, 8)
    const end = await state('loops-acp')
    assert.equal(end, await state('loops-ans'))
    assert.match(end, /^os 644\nfrom-vars-dir\n/m)
    assert.match(end, /\/home\/lka\/\.ssh\/keys\.d\/desktop 700 lka/)
    // converged: nothing to change, in check mode and for real (Ansible's own second run is left out: 25 s)
    const check = await runPlaybook('acplay', bed(), 'loops-acp', PLAYBOOK, { files: FILES, check: true })
    assert.equal(check.recap.changed, 0, check.stdout)
    const again = await runJson('loops-acp')
    assert.deepEqual(
      again.recap.map((r) => [r.ok, r.changed]),
      [[acp.recap.ok, 0]],
    )
    // the loops' items are read ahead: 8 round trips where reading per item takes 17
    const execs = again.connections.find((c) => c.host === 'loops-acp')?.execs ?? Number.NaN
    assert.ok(execs <= 10, `${execs} round trips on a converged host`)
    assert.equal(await state('loops-acp'), end)
  })
})
