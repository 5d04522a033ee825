import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readYamlData } from '../../../engine/yaml-source.js'

// values as PyYAML (Ansible's loader) reads the same texts
describe('quoted scalars continued at any indentation, as PyYAML reads them', () => {
  it("an escaped line break continued at the key's own indentation (weareinteractive.ufw's assert msg)", () => {
    assert.deepEqual(readYamlData('m:\n  msg: "x \\\n  b \\\n  c"\n', 'f.yml'), { m: { msg: 'x b c' } })
  })

  it('double and single quotes in a sequence, under-indented; the rest of the file is read after them', () => {
    assert.deepEqual(readYamlData("- a:\n    - \"one\n    two\"\n    - 'it''s\n   three'\n", 'f.yml'), [{ a: ['one two', "it's three"] }])
    assert.deepEqual(readYamlData('k: "a\n\n b"\nz: 1\n', 'f.yml'), { k: 'a\nb', z: 1 })
  })

  it('a quote that never closes is still an error naming the file and line', () => {
    assert.throws(
      () => readYamlData('a: 1\nb: "open\nc: 2\n', 'f.yml'),
      (e: { code?: string; where?: { file: string; line: number } }) => e.code === 'E_YAML' && e.where?.file === 'f.yml' && e.where.line > 0,
    )
  })
})
