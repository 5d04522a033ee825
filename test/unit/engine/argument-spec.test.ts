/** validate_argument_spec's checks (Ansible's ArgumentSpecValidator): conversions, order, words; a bad spec named. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { argumentSpecArgs, argumentSpecErrors } from '../../../engine/actions/argument-spec.js'
import { ModuleFailure } from '../../../engine/errors.js'

describe('argument spec validation', () => {
  it("converts as Python does: int('1_000'), a bool from 1, float('1e3'), a list from '1,2', a dict from k=v", () => {
    const spec = {
      n: { type: 'int' },
      b: { type: 'bool' },
      f: { type: 'float' },
      l: { type: 'list', elements: 'int' },
      d: { type: 'dict', options: { k: { type: 'int' } } },
      s: {},
    }
    assert.deepEqual(argumentSpecErrors(spec, { n: ' 1_000 ', b: 1, f: '1e3', l: '1,2', d: 'k=5', s: 3 }), [])
  })
  it('reports every error in Ansible order: required, types, choices, then sub-options, unsupported names last', () => {
    const spec = {
      port: { type: 'int', required: true, choices: [80, 443] },
      mode: { choices: ['a', 'b'], default: 'c' },
      users: { type: 'list', elements: 'dict', options: { name: { required: true } } },
    }
    assert.deepEqual(argumentSpecErrors(spec, { port: 8.5, users: [{ nick: 'x' }], other: 1 }), [
      "argument 'port' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int",
      'value of port must be one of: 80, 443, got: 8.5',
      'value of mode must be one of: a, b, got: c',
      'missing required arguments: name found in users',
      'other, users.nick. Supported parameters include: mode, port, users.',
    ])
    // a default is checked too (as Ansible's validator prints it for these same inputs)
    assert.deepEqual(argumentSpecErrors(spec, {}), ['missing required arguments: port', 'value of mode must be one of: a, b, got: c'])
  })
  it('a templated string is a str in the messages, a YAML one an AnsibleUnicode', () => {
    const spec = { n: { type: 'int' } }
    assert.match(argumentSpecErrors(spec, { n: 'x' })[0]!, /of type <class 'ansible\.parsing\.yaml\.objects\.AnsibleUnicode'>/)
    assert.match(argumentSpecErrors(spec, { n: 'x' }, () => true)[0]!, /of type <class 'str'>/)
  })
  it('a spec that is not one is named, not a crash', () => {
    assert.throws(() => argumentSpecArgs({}), ModuleFailure)
    assert.throws(
      () => argumentSpecArgs({ argument_spec: { a: { type: 'dict', options: { b: 'nope' } } } }),
      /argument_spec\.a\.options: option 'b' must be a mapping/,
    )
    assert.throws(() => argumentSpecArgs({ argument_spec: { a: { choices: 'x' } } }), /argument_spec\.a: choices must be a list/)
    assert.throws(() => argumentSpecArgs({ argument_spec: {}, provided_arguments: [1] }), /Incorrect type for provided_arguments, expected dict/)
  })
})
