/**
 * Plain scalars as PyYAML (Ansible's loader) types them, in playbooks, `-e` and `from_yaml`. The
 * expected values were recorded with Debian's python3-yaml: `yaml.safe_load('v: ' + s)['v']`.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseExtraVars } from '../../../engine/vars/extra-vars.js'
import { loadYaml } from '../../../engine/vars/py-yaml.js'
import { readYamlData } from '../../../engine/yaml-source.js'

// [scalar, what PyYAML gives]: a string where PyYAML keeps the text
const PYYAML: [string, unknown][] = [
  ['E0', 'E0'],
  ['e5', 'e5'],
  ['1e3', '1e3'],
  ['1.0e3', '1.0e3'],
  ['1.0e+3', 1000],
  ['1.5e-1', 0.15],
  ['1.5', 1.5],
  ['.5', 0.5],
  ['-.5', '-.5'],
  ['.', '.'],
  ['._5', '._5'],
  ['1_000', 1000],
  ['+1', 1],
  ['09', '09'],
  ['0x1F', 31],
  ['0o17', '0o17'],
  ['0b101', 5],
  ['-.inf', -Infinity],
  ['y', 'y'],
  ['n', 'n'],
  ['yes', true],
  ['Off', false],
  ['~', null],
]

const playbookValue = (s: string) => (readYamlData(`v: ${s}`, '/x.yml') as { v: unknown }).v
const fromYaml = (s: string) => {
  const v = (loadYaml(`v: ${s}`) as { v: unknown }).v
  // from_yaml's floats are Python floats (a wrapper that prints 1.0 as 1.0)
  return v !== null && typeof v === 'object' ? Number(v) : v
}

describe('YAML scalars as PyYAML types them', () => {
  for (const [s, want] of PYYAML) {
    it(`${s} -> ${JSON.stringify(want) ?? String(want)}`, () => {
      assert.deepEqual(playbookValue(s), want, 'playbook')
      assert.deepEqual(fromYaml(s), want, 'from_yaml')
      assert.deepEqual(parseExtraVars(`{v: ${s}}`).v, want, '-e')
    })
  }

  it('a task named E0 keeps its name', () => {
    assert.deepEqual(readYamlData('- name: E0\n  debug: {msg: e5}\n', '/x.yml'), [{ name: 'E0', debug: { msg: 'e5' } }])
  })

  it('0644 is an octal int everywhere; clock times stay text in playbooks (from_yaml reads them as PyYAML does)', () => {
    assert.equal(playbookValue('0644'), 0o644)
    assert.equal(playbookValue('-017'), -15)
    assert.equal(playbookValue('09'), '09')
    assert.equal(playbookValue('1:20'), '1:20')
    assert.equal(fromYaml('0644'), 420)
    assert.equal(fromYaml('1:20'), 80)
  })
})
