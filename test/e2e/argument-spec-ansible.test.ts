/**
 * validate_argument_spec's checks against Ansible's own ArgumentSpecValidator (Debian's
 * ansible-core, through /usr/bin/python3): each case's spec and values go to both, and the error
 * lists must be equal, message for message, in order. Values arrive in Python from JSON, so their
 * strings are str (acplay's templated strings); the list of valid booleans is in Python's hash order.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { argumentSpecErrors } from '../../engine/actions/argument-spec.js'
import { capture } from '../helpers/cli.js'

type Case = [spec: Record<string, unknown>, params: Record<string, unknown>]

const USERS = { type: 'list', elements: 'dict', options: { name: { required: true }, uid: { type: 'int' }, groups: { type: 'list', elements: 'str' } } }
const CASES: Case[] = [
  [{ n: { type: 'int' } }, { n: '12' }],
  [{ n: { type: 'int' } }, { n: 'x' }],
  [{ n: { type: 'int' } }, { n: 1.5 }],
  [{ n: { type: 'int' } }, { n: true }],
  [{ n: { type: 'int' } }, { n: [1] }],
  [{ f: { type: 'float' } }, { f: ' 2.5 ' }],
  [{ f: { type: 'float' } }, { f: 'inf' }],
  [{ f: { type: 'float' } }, { f: 'two' }],
  [{ b: { type: 'bool' } }, { b: 'Yes' }],
  [{ b: { type: 'bool' } }, { b: 0 }],
  [{ b: { type: 'bool' } }, { b: 'maybe' }],
  [{ b: { type: 'bool' } }, { b: [] }],
  [{ s: { type: 'str' } }, { s: 5 }],
  [{ s: {} }, { s: false }],
  [{ l: { type: 'list' } }, { l: 'a,b' }],
  [{ l: { type: 'list' } }, { l: 3 }],
  [{ l: { type: 'list' } }, { l: { a: 1 } }],
  [{ l: { type: 'list', elements: 'int' } }, { l: ['1', 'x', 2] }],
  [{ l: { type: 'str', elements: 'int' } }, { l: 'x1' }],
  [{ l: { type: 'int', elements: 'int' } }, { l: 5 }],
  [{ l: { type: 'dict', elements: 'str' } }, { l: { a: 1 } }],
  [{ d: { type: 'dict' } }, { d: 'a=1, b="x y"' }],
  [{ d: { type: 'dict' } }, { d: '{"a": 1}' }],
  [{ d: { type: 'dict' } }, { d: 'plain' }],
  [{ d: { type: 'dict' } }, { d: 7 }],
  [{ r: { type: 'raw' } }, { r: { any: [1] } }],
  [{ j: { type: 'jsonarg' } }, { j: { a: [1, 2] } }],
  [{ c: { choices: ['a', 'b'] } }, { c: 'z' }],
  [{ c: { type: 'list', choices: ['a', 'b'] } }, { c: ['a', 'z', 'y'] }],
  [{ c: { choices: [1, 2] } }, { c: true }],
  [{ c: { choices: [1, true, 2] } }, { c: true }],
  [{ c: { choices: ['1', 1] } }, { c: true }],
  [{ c: { choices: ['off', 'on'] } }, { c: false }],
  [{ c: { choices: ['yes', 'no'] } }, { c: 'True' }],
  [{ c: { type: 'int', choices: [80, 443] } }, { c: '80' }],
  [{ a: { required: true }, b: { required: true }, c: { default: 'x' } }, {}],
  [{ a: { type: 'int', default: 'nope' } }, {}],
  [{ users: USERS }, { users: [{ name: 'a', uid: '5', groups: 'x,y' }] }],
  [{ users: USERS }, { users: [{ uid: 'x' }, 'str', { name: 'b', extra: 1 }] }],
  [{ users: USERS }, { users: 'name=a uid=x' }],
  [{ users: USERS }, { users: [3] }],
  [
    { conf: { type: 'dict', options: { port: { type: 'int', required: true }, tls: { type: 'dict', options: { cert: { required: true } } } } } },
    { conf: { tls: {} } },
  ],
  [{ conf: { type: 'dict', options: { port: { type: 'int' } } } }, { conf: { port: 'x', other: 1 } }],
  [{ a: { type: 'int' } }, { a: 'x', zzz: 1, bbb: 2 }],
  // aliases: the alias's value is the option's, the alias is supported (named in parentheses), in sub-specs too
  [{ port: { type: 'int', aliases: ['p', 'listen'] } }, { p: '80' }],
  [{ port: { type: 'int', aliases: ['p'] } }, { p: 'x', other: 1 }],
  [{ conf: { type: 'dict', options: { host: { aliases: ['h'], required: true } } } }, { conf: { h: 'db' } }],
  [{ conf: { type: 'dict', options: { host: { aliases: ['h'] } } } }, { conf: { h: 'db', zz: 1 } }],
  // a spec's own mistakes, as the validator reports them
  [{ a: { required: true, default: 'x' }, b: { type: 'int' } }, { b: 'x' }],
  [{ a: { aliases: 'x' } }, { a: 'v' }],
  // the rules between a sub-spec's options
  [{ db: { type: 'dict', mutually_exclusive: [['socket', 'host']], options: { socket: {}, host: {} } } }, { db: { socket: '/s', host: 'h' } }],
  [{ db: { type: 'dict', required_together: [['user', 'password']], options: { user: {}, password: {} } } }, { db: { user: 'u' } }],
  [{ db: { type: 'dict', required_one_of: [['socket', 'host']], options: { socket: {}, host: {} } } }, { db: {} }],
  [
    { db: { type: 'dict', required_if: [['state', 'present', ['name', 'owner']]], options: { state: {}, name: {}, owner: {} } } },
    { db: { state: 'present', name: 'x' } },
  ],
  [
    { db: { type: 'dict', required_if: [['state', 'present', ['name', 'owner'], true]], options: { state: {}, name: {}, owner: {} } } },
    { db: { state: 'present', name: 'x' } },
  ],
  [
    { db: { type: 'dict', required_if: [['state', 'present', ['name', 'owner'], true]], options: { state: {}, name: {}, owner: {} } } },
    { db: { state: 'present' } },
  ],
  [{ db: { type: 'dict', required_by: { owner: ['name', 'mode'] }, options: { owner: {}, name: {}, mode: {} } } }, { db: { owner: 'o', mode: '0644' } }],
  [{ db: { type: 'dict', required_together: [['user', 'password']], options: { user: {}, password: { default: 'x' } } } }, { db: { user: 'u' } }],
  [
    {
      users: { type: 'list', elements: 'dict', mutually_exclusive: [['uid', 'system']], options: { name: {}, uid: { type: 'int' }, system: { type: 'bool' } } },
    },
    {
      users: [
        { name: 'a', uid: 5, system: true },
        { name: 'b', uid: 'x' },
      ],
    },
  ],
  // apply_defaults: an absent sub-spec's defaults apply (and its required options are missing)
  [{ conf: { type: 'dict', apply_defaults: true, options: { port: { type: 'int', default: 80 }, name: { required: true } } } }, {}],
]

// Ansible's validator on every case; its set of valid booleans printed in hash order, made one order here
const PYTHON = `
import json, re, sys
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
out = []
for spec, params in json.load(sys.stdin):
    errors = ArgumentSpecValidator(spec).validate(params).error_messages
    out.append([re.sub(r"Valid booleans include: .*", "Valid booleans include: ...", e) for e in errors])
print(json.dumps(out))
`

describe("argument spec errors as Ansible's ArgumentSpecValidator gives them", () => {
  it(`${CASES.length} cases, message for message`, async () => {
    const r = await capture(['/usr/bin/python3', '-c', PYTHON], { input: JSON.stringify(CASES) })
    assert.equal(r.code, 0, `Debian's ansible-core through /usr/bin/python3 (scripts/setup-test-deps.sh): ${r.stderr}`)
    const ansible = JSON.parse(r.stdout) as string[][]
    for (const [i, [spec, params]] of CASES.entries()) {
      const ours = argumentSpecErrors(spec as never, params, () => true).map((e) => e.replace(/Valid booleans include: .*/, 'Valid booleans include: ...'))
      assert.deepEqual(ours, ansible[i], JSON.stringify([spec, params]))
    }
  })
})
