import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Node } from 'yaml'
import { conditions, tags } from '../../../engine/playbook/keywords.js'
import { parseYaml } from '../../../engine/yaml-source.js'
import type { AcplayError } from '../../../engine/errors.js'

const node = (yaml: string) => {
  const src = parseYaml(yaml, '/x.yml')
  return { src, n: src.doc.contents as Node }
}
const when = (yaml: string) => {
  const { src, n } = node(yaml)
  return conditions(src, 'when', n)
}

test('when: strings and templates as written, booleans, lists, nothing', () => {
  assert.deepEqual(when('x is defined'), ['x is defined'])
  assert.deepEqual(when('"{{ do_it }}"'), ['{{ do_it }}'])
  assert.deepEqual(when('"{{ a }} and {{ b }}"'), ['{{ a }} and {{ b }}'])
  assert.deepEqual(when('yes'), ['True'])
  assert.deepEqual(when('false'), ['False'])
  assert.deepEqual(when('[a == 1, "{{ b }}", true]'), ['a == 1', '{{ b }}', 'True'])
  assert.deepEqual(when('~'), [])
})

test('when: a mapping is an error at the value', () => {
  assert.throws(
    () => when('\n  {a: 1}'),
    (e: AcplayError) =>
      e.code === 'E_PLAYBOOK' &&
      e.where.line === 2 &&
      e.where.col === 3 &&
      /'when' must be a string, a boolean or a list of them, got a mapping/.test(e.message),
  )
})

test('tags: string, comma string, list', () => {
  const t = (y: string) => {
    const { src, n } = node(y)
    return tags(src, n)
  }
  assert.deepEqual(t('one'), ['one'])
  assert.deepEqual(t('"a, b,c"'), ['a', 'b', 'c'])
  assert.deepEqual(t('[x, 2]'), ['x', '2'])
})

test('YAML 1.1 booleans, 0644 an octal int, dates as text', () => {
  const { src } = node('a: yes\nb: 0644\nc: 2024-01-02\nd: 1:30\ne: 0x1f\nf: y\ng: Off\n')
  assert.deepEqual(src.doc.toJS(), { a: true, b: 0o644, c: '2024-01-02', d: '1:30', e: 31, f: 'y', g: false })
})
