import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { extraVarIsPlain, mergeExtraVars, parseExtraVars } from '../../../engine/vars/extra-vars.js'
import { mergeVars, VAR_LAYERS, varSource, type VarLayers } from '../../../engine/vars/precedence.js'
import { Templar } from '../../../engine/vars/template.js'
import { testDir } from '../../helpers/temp-dir.js'

describe('mergeVars', () => {
  const all: VarLayers = Object.fromEntries(VAR_LAYERS.map((l) => [l, { v: l, [`only_${l}`]: true }]))

  it('orders the layers as Ansible does, lowest first', () => {
    assert.deepEqual(
      [...VAR_LAYERS],
      [
        'roleDefaults',
        'inventory',
        'hostFacts',
        'play',
        'varsFiles',
        'roleVars',
        'block',
        'task',
        'includedVars',
        'facts',
        'roleParams',
        'includeParams',
        'extra',
      ],
    )
  })
  it('with a var at every level, extra vars win', () => {
    const merged = mergeVars(all)
    assert.equal(merged.v, 'extra')
    for (const l of VAR_LAYERS) assert.equal(merged[`only_${l}`], true)
  })
  it('each level beats every level below it', () => {
    for (let i = 0; i < VAR_LAYERS.length; i++) {
      const upTo = Object.fromEntries(VAR_LAYERS.slice(0, i + 1).map((l) => [l, all[l]]))
      assert.equal(mergeVars(upTo).v, VAR_LAYERS[i], `${VAR_LAYERS[i]} should win over the layers below`)
      assert.equal(varSource('v', upTo), VAR_LAYERS[i])
    }
  })
  it('replaces dicts whole (hash_behaviour=replace) and does not modify its inputs', () => {
    const play = { pg: { host: 'a', port: 1 } }
    const task = { pg: { host: 'b' } }
    assert.deepEqual(mergeVars({ play, task }).pg, { host: 'b' })
    assert.deepEqual(play.pg, { host: 'a', port: 1 })
  })
  it("applies several mappings in one layer in order (nested blocks, an entry's vars then the role's vars/main.yml)", () => {
    const merged = mergeVars({ block: [{ a: 'outer', b: 'outer' }, { b: 'inner' }], roleVars: [{ r: 'entry' }, { r: 'vars' }] })
    assert.deepEqual(merged, { a: 'outer', b: 'inner', r: 'vars' })
  })
  it('leaves templates for lazy rendering with the merged vars', () => {
    const merged = mergeVars({ roleDefaults: { url: 'http://{{ host }}', host: 'default' }, inventory: { host: 'db1' } })
    assert.equal(new Templar().render('{{ url }}', merged), 'http://db1')
  })
  it('says where a var is not', () => {
    assert.equal(varSource('nope', all), undefined)
  })
})

describe('parseExtraVars', () => {
  const dir = testDir('ev')
  it('parses k=v pairs as strings, with quotes', () => {
    assert.deepEqual(parseExtraVars(`a=1 b="two words" c='x=y' d=it\\'s e=`), { a: '1', b: 'two words', c: 'x=y', d: "it's", e: '' })
  })
  it('parses inline JSON and YAML mappings with types', () => {
    assert.deepEqual(parseExtraVars('{"k": 1, "l": [true, null]}'), { k: 1, l: [true, null] })
    assert.deepEqual(parseExtraVars('{k: v}'), { k: 'v' })
  })
  it('reads @file.yml and @file.json relative to a base dir', () => {
    writeFileSync(join(dir, 'vars.yml'), 'port: 5432\nusers: [a, b]\n')
    writeFileSync(join(dir, 'vars.json'), '{"debug": true}')
    assert.deepEqual(parseExtraVars('@vars.yml', dir), { port: 5432, users: ['a', 'b'] })
    assert.deepEqual(parseExtraVars(`@${join(dir, 'vars.json')}`), { debug: true })
  })
  it("knows which values Ansible's YAML loader typed (not JSON: AnsibleUnicode...), the last -e of a name winning", () => {
    writeFileSync(join(dir, 'typed.yml'), 'a: x\nb: [1]\n')
    writeFileSync(join(dir, 'typed.json'), '{"c": "x"}')
    const ev = mergeExtraVars(['{"j": "x"}', 'k=v', '{y: x}', '@typed.yml', '@typed.json', '{"a": "again"}'], dir)
    const plain = Object.keys(ev).filter((n) => extraVarIsPlain(ev, n))
    assert.deepEqual(plain.sort(), ['a', 'c', 'j', 'k'])
    assert.equal(extraVarIsPlain(ev, 'nope'), false, 'not an extra var')
    assert.equal(extraVarIsPlain({ t: 'x' }, 't'), true, "a TypeScript caller's values are plain")
  })
  it('names the file when it is missing or broken', () => {
    assert.throws(
      () => parseExtraVars('@missing.yml', dir),
      (e: unknown) => e instanceof AcplayError && e.code === 'E_OPTION' && e.message.includes('missing.yml') && e.message.includes('ENOENT'),
    )
    writeFileSync(join(dir, 'bad.yml'), 'a: [1, 2\nb: 3\n')
    assert.throws(
      () => parseExtraVars('@bad.yml', dir),
      (e: unknown) => e instanceof AcplayError && e.code === 'E_YAML' && e.where.file === join(dir, 'bad.yml') && typeof e.where.line === 'number',
    )
    writeFileSync(join(dir, 'list.yml'), '- a\n')
    assert.throws(() => parseExtraVars('@list.yml', dir), /must be a mapping/)
  })
  it('rejects a word without =', () => {
    assert.throws(() => parseExtraVars('a=1 oops'), /expected key=value, got "oops"/)
    assert.throws(() => parseExtraVars('a="open'), /unterminated/)
  })
  it('merges several -e options, later ones winning', () => {
    assert.deepEqual(mergeExtraVars(['a=1 b=1', '{"b": 2}']), { a: '1', b: 2 })
  })
})
