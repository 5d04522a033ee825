/**
 * Which plain scalars are booleans, integers and floats, as PyYAML (Ansible's loader, YAML 1.1)
 * decides: one home for the playbook loader (yaml-source.ts), `-e` and `from_yaml`
 * (vars/py-yaml.ts). The yaml package's 1.1 schema is looser: it reads `E0` and `e5` as floats
 * (NaN), `1e3` and `-.5` as numbers and `09` as 9, where PyYAML keeps each one a string.
 */
import type { CollectionTag, ScalarTag, Tags } from 'yaml'

const TAG = 'tag:yaml.org,2002:'

/** PyYAML's implicit resolvers (resolver.py), without `y`/`n` booleans. */
const PYYAML = {
  true: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  false: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  decimal: /^[-+]?(?:0|[1-9][0-9_]*)$/,
  // a float needs a dot, and an exponent its sign: `1e3` and `1.0e3` are strings
  float: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/,
  exponent: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)[eE][-+][0-9]+$/,
}

export type YamlTag = ScalarTag | CollectionTag

/** The yaml package's 1.1 tag, resolving as PyYAML does (undefined: the tag is left as it is). */
function pyyamlTest(t: ScalarTag): RegExp | undefined {
  if (t.tag === `${TAG}bool`) return t.identify?.(true) ? PYYAML.true : PYYAML.false
  if (t.tag === `${TAG}int` && !t.format) return PYYAML.decimal
  if (t.tag === `${TAG}float` && t.format === 'EXP') return PYYAML.exponent
  // the plain float (the other format-less float tag is .inf/.nan, which PyYAML reads the same)
  if (t.tag === `${TAG}float` && !t.format && t.test?.test('1.5')) return PYYAML.float
  return undefined
}

/** `tags` (the yaml package's 1.1 schema) with each scalar tag resolving as PyYAML does it. */
export function asPyyaml(tags: Tags): YamlTag[] {
  return tags.map((t) => {
    if (typeof t === 'string' || !('test' in t) || !t.test) return t as YamlTag
    const test = pyyamlTest(t as ScalarTag)
    return test ? { ...(t as ScalarTag), test } : (t as YamlTag)
  })
}
