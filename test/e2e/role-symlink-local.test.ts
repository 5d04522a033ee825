/**
 * A role reached through a symlink, against Debian's ansible-playbook (local connection): a role on
 * the roles search path is known by its real path (Ansible's unfrackpath), a collection's role by
 * the path it was found at. role_path shows it (and so do the paths of the files a role includes).
 */
import assert from 'node:assert/strict'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const show = (role: string) => `- name: seen ${role}\n  debug: { msg: "{{ role_path }}" }\n`

describe('a symlinked role as ansible-playbook finds it (local connection)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('role-symlink', {
      'shared/web/tasks/main.yml': show('web'),
      'shared/helper/tasks/main.yml': show('helper'),
      'collections/ansible_collections/acme/tools/galaxy.yml': 'namespace: acme\nname: tools\nversion: 1.0.0\n',
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [web, acme.tools.helper]\n',
    })
    mkdirSync(join(dir, 'roles'))
    symlinkSync('../shared/web', join(dir, 'roles', 'web'), 'dir')
    mkdirSync(join(dir, 'collections/ansible_collections/acme/tools/roles'))
    symlinkSync(join(dir, 'shared', 'helper'), join(dir, 'collections/ansible_collections/acme/tools/roles/helper'), 'dir')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same role_path in both', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const expected = [join(dir, 'shared/web'), join(dir, 'collections/ansible_collections/acme/tools/roles/helper')]
    assert.deepEqual(
      ansible.plays[0]!.tasks.map((t) => t.hosts.localhost?.msg),
      expected,
    )
    assert.deepEqual(
      doc.results.map((r) => r.output),
      expected,
    )
  })
})
