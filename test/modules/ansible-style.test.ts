/**
 * Modules written for Ansible, shipped in a role's and a playbook's library/, on real hosts side by
 * side with ansible-playbook: a new-style module (AnsibleModule, check mode and diff, facts), a
 * WANT_JSON one with a `#!/usr/bin/python` shebang (no such file on Debian 12: both tools run it
 * with python3), an old-style shell one (`key=value` arguments), one without check mode support
 * and one that fails; the same files, changed counts and check-mode answers.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  roles: [site]
  tasks:
    - name: an old-style shell module of the playbook's library
      greet: name="big world" punctuation=!
      register: greeting
    - name: its answer, and the fact the role's module set
      copy: { content: "{{ greeting.greeting }} {{ conf_lines_seen }}\\n", dest: /etc/acplay-greeting }
    - name: a WANT_JSON module, made once
      once: { path: /etc/acplay-once }
`

const CONF_LINE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
import os


def main():
    m = AnsibleModule(
        argument_spec=dict(path=dict(type='path', required=True), line=dict(type='str', required=True), token=dict(type='str', no_log=True)),
        supports_check_mode=True,
    )
    path, line = m.params['path'], m.params['line']
    before = open(path).read() if os.path.exists(path) else ''
    lines = before.splitlines()
    changed = line not in lines
    after = '\\n'.join(lines + [line]) + '\\n' if changed else before
    if changed and not m.check_mode:
        with open(path, 'w') as f:
            f.write(after)
    m.exit_json(changed=changed, path=path, diff=dict(before=before, after=after, before_header=path), ansible_facts=dict(conf_lines_seen=len(after.splitlines())))


main()
`

const ONCE = `#!/usr/bin/python
# WANT_JSON
import json, os, sys
args = json.load(open(sys.argv[1]))
path = args['path']
if os.path.exists(path):
    print(json.dumps({'changed': False, 'path': path}))
else:
    if not args.get('_ansible_check_mode'):
        open(path, 'w').write('made\\n')
    print(json.dumps({'changed': True, 'path': path}))
`

const GREET = `#!/bin/sh
. "$1"
printf '{"changed": false, "greeting": "hello %s%s"}\\n' "$name" "$punctuation"
`

const NO_CHECK = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True)))
open(m.params['path'], 'a').write('ran\\n')
m.exit_json(changed=True)
`

const FAILS = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(count=dict(type='int', required=True)), supports_check_mode=True)
m.fail_json(msg='refused %d' % m.params['count'], count=m.params['count'])
`

const FILES = {
  'roles/site/tasks/main.yml': `- name: a new-style module of the role's library
  conf_line: { path: /etc/acplay-demo.conf, line: "a=1", token: not-shown }
- conf_line: { path: /etc/acplay-demo.conf, line: "b=2" }
`,
  'roles/site/library/conf_line.py': CONF_LINE,
  'library/once': ONCE,
  'library/greet.sh': GREET,
  'library/no_check.py': NO_CHECK,
  'library/fails.py': FAILS,
}

const STATE = 'for f in /etc/acplay-demo.conf /etc/acplay-greeting /etc/acplay-once; do echo "== $f"; cat "$f" 2>&1; done'

describe('modules written for Ansible, from library/ (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['lib-a', 'lib-b'])
  const sides = new SideBySide(bed, 'lib-a', 'lib-b', PLAYBOOK, STATE, FILES)

  it('check mode on the fresh host predicts the run (the modules asked in check mode); both tools leave the same files', async () => {
    const state = await sides.firstRun(4)
    assert.equal(state, '== /etc/acplay-demo.conf\na=1\nb=2\n== /etc/acplay-greeting\nhello big world! 2\n== /etc/acplay-once\nmade\n')
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a line removed by hand is found by the module in check mode (with its diff) and put back by both', async () => {
    const check = await sides.drift("sed -i '/^b=2$/d' /etc/acplay-demo.conf", 1)
    assert.match(check.stdout, /\+b=2/)
    assert.doesNotMatch(check.stdout, /not-shown/)
  })

  it('a module without check mode support is skipped in check mode, as by Ansible; a failing one fails with its message and values', async () => {
    const play = `- hosts: all
  gather_facts: false
  tasks:
    - no_check: { path: /tmp/acplay-no-check }
    - fails: { count: "7" }
      register: f
      ignore_errors: true
    - assert: { that: ["f.failed", "f.count == 7", "f.msg == 'refused 7'"] }
`
    const other = new SideBySide(bed, 'lib-a', 'lib-b', play, 'cat /tmp/acplay-no-check 2>&1', FILES)
    const [mineCheck, theirsCheck] = await Promise.all([other.run('acplay', { check: true }), other.run('ansible', { check: true })])
    assert.deepEqual(mineCheck.recap, theirsCheck.recap, `${mineCheck.stdout}\n${theirsCheck.stdout}`)
    assert.equal(mineCheck.recap.skipped, 1, mineCheck.stdout)
    await other.both(1)
    assert.equal(await other.sameState(), 'ran\n')
  })
})
