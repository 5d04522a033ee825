/** The debug action's message as Ansible's: `msg` given as null prints null, no msg prints Hello world! */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ActionEnv, runAction } from '../../../engine/actions/run-action.js'
import { evaluate, templateValue } from '../../../engine/vars/template.js'

const env = { verbosity: 0 } as ActionEnv

describe('debug', () => {
  it("prints msg as given, null included (an item that is None), and Ansible's default without one", async () => {
    assert.deepEqual((await runAction('debug', { msg: null }, env)).data, { msg: null })
    assert.deepEqual((await runAction('debug', { msg: 'x' }, env)).data, { msg: 'x' })
    assert.deepEqual((await runAction('debug', {}, env)).data, { msg: 'Hello world!' })
  })
})

describe('debug var', () => {
  const vars = { d: { x: 2, l: [1] }, n: 5 }
  const withVars = (verbosity: number) =>
    ({ verbosity, template: (text: string) => templateValue(text, vars), evaluate: (e: string) => evaluate(e, vars) }) as unknown as ActionEnv

  it('templates a bare expression as a task argument is (Ansible convert_bare): a lone name keeps its type, an attribute becomes text', async () => {
    const show = async (v: string) => (await runAction('debug', { var: v }, withVars(0))).data[v]
    assert.equal(await show('n'), 5)
    assert.equal(await show('d.x'), '2')
    assert.deepEqual(await show('d.l'), [1])
    assert.equal(await show('d.x + 1'), '3')
    assert.equal(await show('{{ n }}'), 5)
  })

  it("an undefined one: Ansible's words, with the error twice under -v", async () => {
    assert.equal((await runAction('debug', { var: 'nope' }, withVars(0))).data.nope, 'VARIABLE IS NOT DEFINED!')
    assert.equal((await runAction('debug', { var: 'nope' }, withVars(1))).data.nope, "VARIABLE IS NOT DEFINED!: 'nope' is undefined. 'nope' is undefined")
  })
})
