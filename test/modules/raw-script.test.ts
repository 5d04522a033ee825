/**
 * raw and script on real hosts, side by side with ansible-playbook: raw's result, a script from
 * files/ with its arguments (quoted ones too), one skipped by `creates`, one run by an interpreter
 * in another directory, a failing one; nothing left in ~/.ansible/tmp. Check mode runs neither.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: raw, as before Python
      raw: echo raw-ran > /root/raw.txt && cat /root/raw.txt
      register: r
    - name: raw's result
      when: not ansible_check_mode
      copy: { content: "{{ r.rc }} {{ r.stdout_lines }} {{ r.changed }}\\n", dest: /root/raw-result.txt }
    - name: a script with arguments
      script: files/make-marker.sh /root/marker "two words"
      register: s
    - name: its result
      when: not ansible_check_mode
      copy: { content: "{{ s.rc }} {{ s.stdout_lines }}\\n", dest: /root/script-result.txt }
    - name: skipped once the marker is there
      script: make-marker.sh /root/marker again
      args: { creates: /root/marker }
      register: skipped
    - name: the skip's result
      when: not ansible_check_mode
      copy: { content: "{{ skipped.skipped }} {{ skipped.msg }}\\n", dest: /root/skip-result.txt }
    - name: with an interpreter, in another directory
      script: hello.py "an arg"
      args: { executable: python3, chdir: /tmp }
      register: py
    - name: python's result
      when: not ansible_check_mode
      copy: { content: "{{ py.stdout_lines }}\\n", dest: /root/py-result.txt }
    - name: a failing script
      script: fails.sh
      ignore_errors: true
      register: f
    - name: the failure
      when: not ansible_check_mode
      copy: { content: "{{ f.rc }} {{ f.msg }} {{ f.failed }}\\n", dest: /root/fail-result.txt }
`
const FILES = {
  'files/make-marker.sh': '#!/bin/sh\nprintf "%s\\n" "$@" > "$1"\necho "made $1 with $# args"\n',
  'files/hello.py': 'import os, sys\nprint("cwd", os.getcwd())\nprint("args", sys.argv[1:])\n',
  'files/fails.sh': '#!/bin/sh\necho "about to fail"\nexit 3\n',
}
const STATE = `cd /root && for f in raw.txt raw-result.txt marker script-result.txt skip-result.txt py-result.txt fail-result.txt; do echo "== $f"; cat $f; done
echo "tmp left: $(ls -A /root/.ansible/tmp 2>/dev/null | wc -l)"`

describe('raw and script on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['rs-a', 'rs-b'])
  const sides = new SideBySide(bed, 'rs-a', 'rs-b', PLAYBOOK, STATE, FILES)

  it('check mode runs neither raw nor a script: raw is skipped, a script would change', async () => {
    const check = await sides.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.match(check.stdout, /TASK \[raw, as before Python\][^\n]*\nskipping: \[rs-a\]/)
    assert.match(check.stdout, /TASK \[a script with arguments\][^\n]*\nchanged: \[rs-a\]/)
    assert.equal((await bed().exec('rs-a', 'ls /root/raw.txt /root/marker 2>/dev/null | wc -l')).stdout.trim(), '0')
  })

  it('both tools: the same results, the same files, nothing left behind', async () => {
    // a failed script is changed too (it ran), in both tools
    await sides.both(9)
    const state = await sides.sameState()
    assert.match(state, /== raw-result\.txt\n0 \['raw-ran'\] True\n/)
    assert.match(state, /== marker\n\/root\/marker\ntwo words\n/)
    assert.match(state, /== script-result\.txt\n0 \['made \/root\/marker with 2 args'\]\n/)
    assert.match(state, /== skip-result\.txt\nTrue \/root\/marker exists, matching creates option\n/)
    assert.match(state, /== py-result\.txt\n\["cwd \/tmp", "args \['an arg'\]"\]== fail/)
    assert.match(state, /== fail-result\.txt\n3 non-zero return code True\n/)
    assert.match(state, /tmp left: 0\n$/)
  })

  it('a re-run runs raw and the scripts again (changed), the creates one stays skipped', async () => {
    const [mine] = await sides.both(4)
    assert.equal(mine.recap.skipped, 1)
  })
})
