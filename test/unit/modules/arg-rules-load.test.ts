/**
 * The built-in modules' argument rules fail at LOAD, naming file:line (they used to be checks in
 * `plan`, failing per host at run time); templated values are left for run time.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import { builtinModules } from '../../../modules/index.js'

const F = '/srv/site/site.yml'
const play = (task: string) => `- hosts: all\n  tasks:\n    - name: t\n${task}`

function loadError(task: string): string {
  try {
    loadPlaybookText(play(task), F, { modules: builtinModules })
  } catch (e) {
    assert.ok(e instanceof AcplayError, String(e))
    return e.describe()
  }
  assert.fail('expected a load error')
}
const loads = (task: string) => assert.doesNotThrow(() => loadPlaybookText(play(task), F, { modules: builtinModules }))

describe('argument rules of built-in modules are checked at load, with file:line', () => {
  it('systemd: state, enabled and masked need a name (required_by)', () => {
    assert.equal(loadError('      systemd:\n        state: started\n'), `E_PARAM: ${F}:4:7: argument 'state' needs name (task 't')`)
    assert.equal(loadError('      ansible.builtin.systemd_service:\n        enabled: true\n'), `E_PARAM: ${F}:4:7: argument 'enabled' needs name (task 't')`)
    // service hands its arguments to systemd, whose daemon_reload default satisfies required_one_of (as
    // Ansible's ArgumentSpecValidator sets defaults before that check)
    loads('      service:\n        name: x\n')
    assert.equal(loadError('      service:\n        state: started\n'), `E_PARAM: ${F}:4:7: argument 'state' needs name (task 't')`)
    loads('      systemd:\n        daemon_reload: true\n')
  })
  it('lineinfile: line with state=present, regexp with backrefs (required_if)', () => {
    assert.equal(loadError('      lineinfile:\n        path: /etc/x\n'), `E_PARAM: ${F}:4:7: state is "present" but these are missing: line (task 't')`)
    assert.equal(
      loadError('      lineinfile: { path: /etc/x, line: a, backrefs: true }\n'),
      `E_PARAM: ${F}:4:7: backrefs is true but these are missing: regexp (task 't')`,
    )
    assert.match(
      loadError('      lineinfile: { path: /etc/x, state: absent }\n'),
      /:4:7: state is "absent" but none of these is given: one of line, regexp, search_string/,
    )
  })
  it("apt: one of name, update_cache ... (required_one_of); an unsupported argument is refused at load (where the controller's Ansible cannot take the task: copy's action plugin)", () => {
    assert.match(
      loadError('      apt: {}\n'),
      new RegExp(`^E_PARAM: ${F}:4:7: one of these arguments is required: autoremove, deb, name, update_cache, upgrade`),
    )
    assert.match(loadError('      copy: { src: a, dest: /b, local_follow: false }\n'), /:4:47: argument 'local_follow' of module copy is not supported yet/)
    loads('      apt: { name: x, autoremove: false }\n')
  })
  it('postgres: source with a host contype, value unless reset', () => {
    assert.match(loadError('      postgresql_pg_hba: { contype: hostssl, users: a }\n'), /:4:7: contype is "hostssl" but these are missing: source/)
    assert.match(loadError('      postgresql_set: { name: work_mem }\n'), /:4:7: reset is false but these are missing: value/)
  })
  it('a templated value is checked at run time, not at load', () => {
    loads('      lineinfile:\n        path: /etc/x\n        state: "{{ s }}"\n')
    loads('      systemd:\n        name: "{{ unit | default(omit) }}"\n        state: started\n')
  })
})
