import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { describeRules } from '../../../modules/arg-rules.js'
import { validateParams } from '../../../modules/schema.js'

const spec = {
  name: 'demo',
  params: {
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'link'], description: '' },
    src: { type: 'str', description: '' },
    content: { type: 'str', description: '' },
    dest: { type: 'str', description: '' },
    user: { type: 'str', description: '' },
    password: { type: 'str', description: '' },
    key: { type: 'str', description: '' },
    cert: { type: 'str', description: '' },
    backup: { type: 'bool', default: false, description: '' },
  },
  mutuallyExclusive: [['src', 'content']],
  requiredOneOf: [['src', 'content', 'dest']],
  requiredTogether: [['key', 'cert']],
  requiredIf: [
    ['state', 'link', ['src']],
    ['backup', true, ['dest', 'src'], true],
  ],
  requiredBy: { password: ['user'] },
} as const

const where = { file: 'site.yml', line: 7, col: 5 }
const fails = (raw: Record<string, unknown>, pattern: RegExp, unknown?: string[]) =>
  assert.throws(
    () => validateParams(spec, raw, where, { unknown: unknown && new Set(unknown) }),
    (e: unknown) => e instanceof AcplayError && pattern.test(e.message) && e.where?.line === 7,
  )
const passes = (raw: Record<string, unknown>, unknown?: string[]) => validateParams(spec, raw, where, { unknown: unknown && new Set(unknown) })

describe('argument rules (as Ansible: mutually_exclusive, required_one_of/_together/_if/_by)', () => {
  it('mutually exclusive: two given fail, naming both; defaults do not count', () => {
    fails({ src: 'a', content: 'b' }, /mutually exclusive: src, content/)
    passes({ src: 'a' })
  })
  it('required one of: none of the group given fails', () => {
    fails({ user: 'x' }, /one of these arguments is required: src, content, dest/)
  })
  it('required together: one without the other fails, naming what is missing', () => {
    fails({ dest: 'd', key: 'k' }, /required together: key, cert \(missing: cert\)/)
    passes({ dest: 'd', key: 'k', cert: 'c' })
  })
  it('required if: a value that needs other arguments; anyOf needs only one', () => {
    fails({ dest: 'd', state: 'link' }, /state is "link" but these are missing: src/)
    passes({ src: 's', state: 'link' })
    passes({ dest: 'd', backup: true })
    fails({ content: 'c', backup: 'yes' }, /backup is true but none of these is given: one of dest, src/)
  })
  it('required by: an argument that needs another', () => {
    fails({ dest: 'd', password: 'p' }, /argument 'password' needs user/)
    passes({ dest: 'd', password: 'p', user: 'u' })
  })
  it('omitted values (null after omit) count as not given: both sides of an exclusive pair omitted is fine', () => {
    passes({ dest: 'd', src: null, content: undefined })
  })
  it('at load, a templated argument is unknown: it neither conflicts nor is missing', () => {
    passes({ src: 'a', content: '{{ c | default(omit) }}' }, ['content'])
    passes({ dest: 'd', key: 'k', cert: '{{ cert }}' }, ['cert'])
    passes({ dest: 'd', state: '{{ s }}' }, ['state'])
    passes({ content: '{{ c }}' }, ['content'])
    fails({ src: 'a', content: 'b', dest: '{{ d }}' }, /mutually exclusive/, ['dest'])
  })
  it('the rules read as sentences for acplay doc', () => {
    assert.deepEqual(describeRules(spec), [
      'mutually exclusive: src, content',
      'one of these is required: src, content, dest',
      'required together: key, cert',
      'when state is "link": src required',
      'when backup is true: one of dest, src is required',
      'password needs user',
    ])
  })
})
