import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mergeVars } from '../../../engine/vars/precedence.js'
import { evaluate, templar, templateValue } from '../../../engine/vars/template.js'
import { setEntry, unsafeKeys } from '../../../engine/vars/unsafe.js'

const INJECT = "{{ lookup('pipe', 'echo INJECTED') }}"

test('an unsafe string or result is never templated when its variable is read', () => {
  const vars: Record<string, unknown> = { safe: '{{ 1 + 1 }}' }
  setEntry(vars, 'out', INJECT, true)
  setEntry(vars, 'r', { stdout: INJECT }, true)
  assert.equal(templateValue('{{ out }}', vars), INJECT)
  assert.equal(templateValue('{{ r.stdout }}', vars), INJECT)
  assert.deepEqual(templateValue('{{ r }}', vars), { stdout: INJECT })
  assert.equal(templateValue('{{ safe }}', vars), '2')
})

test('a container marking some entries: those stay as they are, the others are templated', () => {
  const mapping: Record<string, unknown> = { b: "{{ 'b' }}" }
  setEntry(mapping, 'a', '{{ a }}', true)
  const vars: Record<string, unknown> = {}
  setEntry(vars, 'mapping', mapping, true)
  const out = templateValue('{{ mapping }}', vars) as Record<string, unknown>
  assert.deepEqual(Object.entries(out), [
    ['b', 'b'],
    ['a', '{{ a }}'],
  ])
  assert.deepEqual([...(unsafeKeys(out) ?? [])], ['a'])
})

test("what a rendering read marks what it gave: each argument's own", () => {
  const vars: Record<string, unknown> = {}
  setEntry(vars, 'r', { stdout: 'hi', rc: 0 }, true)
  const { value, unsafe } = templar.templateValueTracked({ s: '{{ r.stdout }}', n: '{{ r.rc + 1 }}', lit: 'x', b: '{{ true }}' }, vars)
  assert.equal(unsafe, true)
  // text and containers can be unsafe; a boolean cannot
  assert.deepEqual([...(unsafeKeys(value as object) ?? [])].sort(), ['n', 's'])
})

test('a condition written as a template that read unsafe data is refused; a bare one, or one rendering a boolean, is judged', () => {
  const vars: Record<string, unknown> = {}
  setEntry(vars, 'r', { rc: 0 }, true)
  assert.throws(() => evaluate('{{ r.rc }} == 0', vars), /Conditional is marked as unsafe, and cannot be evaluated/)
  assert.throws(() => evaluate('\'{{ lookup("env", "HOME") }}\' != \'\'', {}), /marked as unsafe/)
  assert.equal(evaluate('r.rc == 0', vars), true)
  assert.equal(evaluate('{{ r.rc == 0 }}', vars), true)
})

test('merged layers: a later layer giving a name a safe value takes its mark away', () => {
  const facts: Record<string, unknown> = {}
  setEntry(facts, 'name', 'from the host', true)
  setEntry(facts, 'other', 'from the host', true)
  const merged = mergeVars({ hostFacts: facts, extra: { name: '{{ "given" }}' } })
  assert.deepEqual([...(unsafeKeys(merged) ?? [])], ['other'])
  assert.equal(templateValue('{{ name }}', merged), 'given')
})
