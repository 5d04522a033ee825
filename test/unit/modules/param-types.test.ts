/**
 * What `plan` gets, as types: a param with `choices` is the union of its choices (a list of them
 * for a list), so a typo in a module's comparison is a compile error. The `@ts-expect-error` lines
 * are the assertions tsc checks (npm test runs tsc); the runtime checks hold the same values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ParamValues, validateParams } from '../../../modules/schema.js'
import { defineModule } from '../../../modules/types.js'
import type { systemd } from '../../../modules/systemd.js'

const demo = defineModule({
  name: 'demo',
  summary: 'a spec for the types',
  params: {
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: '' },
    mode: { type: 'str', choices: ['fast', 'safe'], description: '' },
    flags: { type: 'list', elements: 'str', choices: ['a', 'b'], description: '' },
    name: { type: 'str', required: true, description: '' },
  },
  async plan(p) {
    // @ts-expect-error 'gone' is not one of state's choices
    if (p.state === 'gone') return { kind: 'ok', reason: '' }
    return { kind: 'ok', reason: `${p.state} ${p.mode ?? '-'} ${(p.flags ?? []).join(',')} ${p.name}` }
  },
})

type Demo = ParamValues<typeof demo.params>

describe('param value types', () => {
  it('a param with choices and a default is the union of its choices', () => {
    const state: Demo['state'] = 'absent'
    // @ts-expect-error not a choice
    const bad: Demo['state'] = 'gone'
    assert.deepEqual([state, bad], ['absent', 'gone'])
  })
  it('without a default it may be missing; a list with choices holds choices', () => {
    const mode: Demo['mode'] = undefined
    const flags: Demo['flags'] = ['a', 'b']
    // @ts-expect-error not a choice
    const badFlags: Demo['flags'] = ['c']
    assert.deepEqual([mode, flags, badFlags], [undefined, ['a', 'b'], ['c']])
  })
  it('the values validateParams returns are those the types describe', async () => {
    const p: Demo = validateParams(demo, { name: 'x', flags: 'b,a' })
    assert.deepEqual(p, { name: 'x', flags: ['b', 'a'], state: 'present' })
    assert.deepEqual(await demo.plan(p, undefined as never), { kind: 'ok', reason: 'present - b,a x' })
  })
  it("a built-in module's choices are literal types too", () => {
    const state: ParamValues<typeof systemd.params>['state'] = 'started'
    // @ts-expect-error systemd has no state 'running'
    const bad: ParamValues<typeof systemd.params>['state'] = 'running'
    assert.deepEqual([state, bad], ['started', 'running'])
  })
})
