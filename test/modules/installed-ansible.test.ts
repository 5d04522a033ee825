/**
 * Modules acplay lacks, run from the Ansible installed on the controller, on real hosts side by
 * side with ansible-playbook: one of ansible-core (yum_repository, by its short name), a routed short
 * name (crypttab -> community.general), a short name
 * found through the play's `collections:` (openssl_dhparam of community.crypto), and a module of a
 * collection beside the playbook that imports its own module_utils, named short in the collection's
 * role. The same files, changed counts and check-mode answers; a module Ansible runs through an action
 * plugin fails where it runs, naming why.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  collections: [community.crypto]
  roles: [acme.site.motd]
  tasks:
    - name: ansible-core's yum_repository, which acplay lacks
      yum_repository: { name: acplay, description: acplay test repo, baseurl: "http://10.231.0.1/repo", gpgcheck: false, reposdir: /etc }
    - name: a short name Ansible routes to community.general
      crypttab: { name: acplay, backing_device: /dev/null, opts: luks, state: present, path: /tmp/acplay-crypttab }
    - name: a short name of the play's collections
      openssl_dhparam: { path: /etc/acplay-dh.pem, size: 512 }
      register: dh
    - name: its registered values
      copy: { content: "{{ dh.size }} {{ dh.filename }}\\n", dest: /etc/acplay-dh.seen }
`

const CONF_LINE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.acme.site.plugins.module_utils.lines import ensure_line


def main():
    m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True), line=dict(type='str', required=True)), supports_check_mode=True)
    changed, before, after = ensure_line(m.params['path'], m.params['line'], m.check_mode)
    m.exit_json(changed=changed, diff=dict(before=before, after=after, before_header=m.params['path']))


main()
`

const LINES = `import os


def ensure_line(path, line, check):
    before = open(path).read() if os.path.exists(path) else ''
    if line in before.splitlines():
        return False, before, before
    after = before + line + '\\n'
    if not check:
        with open(path, 'w') as f:
            f.write(after)
    return True, before, after
`

const COLLECTION = 'collections/ansible_collections/acme/site'
const FILES = {
  [`${COLLECTION}/plugins/modules/conf_line.py`]: CONF_LINE,
  [`${COLLECTION}/plugins/module_utils/lines.py`]: LINES,
  [`${COLLECTION}/roles/motd/tasks/main.yml`]:
    '- name: a module of the role\'s collection, by its short name\n  conf_line: { path: /etc/motd-acplay, line: "hello from acme.site" }\n',
}

// crypttab creates its file empty even in check mode (Ansible's module does): an empty file reads as a missing one
const STATE = `for f in /etc/acplay.repo /tmp/acplay-crypttab /etc/motd-acplay /etc/acplay-dh.seen; do echo "== $f"; cat "$f" 2>/dev/null; done
echo "== dh"; head -n1 /etc/acplay-dh.pem 2>/dev/null`

describe("modules acplay lacks, from the controller's Ansible (differential with ansible-playbook)", { skip: testbedSkip() }, () => {
  const bed = useTestbed(['inst-a', 'inst-b'])
  const sides = new SideBySide(bed, 'inst-a', 'inst-b', PLAYBOOK, STATE, FILES)

  it('check mode on the fresh host predicts the run (each module asked in check mode); both tools leave the same files', async () => {
    const state = await sides.firstRun(5)
    assert.match(state, /\[acplay\]\n.*baseurl = http:\/\/10\.231\.0\.1\/repo/s)
    assert.match(state, /== \/tmp\/acplay-crypttab\nacplay \/dev\/null none luks\n/)
    assert.match(state, /== \/etc\/motd-acplay\nhello from acme\.site\n/)
    assert.match(state, /== \/etc\/acplay-dh\.seen\n512 \/etc\/acplay-dh\.pem\n== dh\n-----BEGIN DH PARAMETERS-----/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift is found by the modules in check mode and put back by both', async () => {
    const check = await sides.drift(': > /etc/motd-acplay; : > /tmp/acplay-crypttab', 2)
    assert.match(check.stdout, /\+hello from acme\.site/)
  })

  it("an argument acplay's module does not support yet (apt's upgrade, autoremove, autoclean): Ansible's own module runs the task", async () => {
    const play = `- hosts: all
  gather_facts: false
  tasks:
    - apt: { upgrade: dist }
      register: up
    - apt: autoremove=yes autoclean=yes
    - name: what Ansible's apt registered (its msg, stdout and the lines of it)
      copy:
        content: "{{ up.changed }} {{ 'upgraded' in up.msg }} {{ up.stdout_lines | select('search', 'upgraded') | list | length }}\\n"
        dest: /etc/acplay-upgrade.seen
`
    const other = new SideBySide(bed, 'inst-a', 'inst-b', play, 'cat /etc/acplay-upgrade.seen 2>&1', FILES)
    assert.equal(await other.firstRun(1), 'False True 1\n')
    await other.rerun()
  })

  it('a module Ansible runs through an action plugin fails where it runs, naming why; skipped, it loads', async () => {
    const play = `- hosts: all
  gather_facts: false
  tasks:
    - community.general.shutdown: { delay: 60 }
      when: false
    - community.general.shutdown: { delay: 60 }
      ignore_errors: true
`
    const other = new SideBySide(bed, 'inst-a', 'inst-b', play, 'true', FILES)
    const run = await other.run('acplay') // acplay alone: Ansible's would shut the host down
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(
      run.stdout,
      /module 'community\.general\.shutdown' is not supported by acplay \(yet\): Ansible runs community\.general\.shutdown through an action plugin/,
    )
    assert.equal(run.recap.skipped, 1, run.stdout)
    assert.equal(run.recap.failed, 0, run.stdout)
  })
})
