/** set_fact's names are templated as Ansible's action templates them, then checked as identifiers. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ActionEnv, runAction } from '../../../engine/actions/run-action.js'
import { templateValue } from '../../../engine/vars/template.js'

const withVars = (vars: Record<string, unknown>) => ({ template: (text: string) => templateValue(text, vars) }) as ActionEnv

describe('set_fact', () => {
  it('templates a name given as a template (the dev-sec roles set OS variables from with_dict)', async () => {
    const env = withVars({ item: { key: 'sshd_path', value: '/usr/sbin/sshd' } })
    const r = await runAction('set_fact', { '{{ item.key }}': '/usr/sbin/sshd', plain: 'yes' }, env)
    assert.deepEqual(r.facts, { sshd_path: '/usr/sbin/sshd', plain: true })
  })
  it('refuses a name that is no identifier once templated, naming the rendered name', async () => {
    const env = withVars({ item: { key: 'not-valid' } })
    await assert.rejects(runAction('set_fact', { '{{ item.key }}': 1 }, env), /The variable name 'not-valid' is not valid/)
  })
})
