/** The debug action's message as Ansible's: `msg` given as null prints null, no msg prints Hello world! */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ActionEnv, runAction } from '../../../engine/actions/run-action.js'

const env = { verbosity: 0 } as ActionEnv

describe('debug', () => {
  it("prints msg as given, null included (an item that is None), and Ansible's default without one", async () => {
    assert.deepEqual((await runAction('debug', { msg: null }, env)).data, { msg: null })
    assert.deepEqual((await runAction('debug', { msg: 'x' }, env)).data, { msg: 'x' })
    assert.deepEqual((await runAction('debug', {}, env)).data, { msg: 'Hello world!' })
  })
})
