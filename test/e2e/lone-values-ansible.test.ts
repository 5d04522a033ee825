/**
 * What a playbook string of one `{{ expr }}` gives, against ansible-playbook (local): Ansible 2.14's
 * concat of one node (jinja2_native off) makes a number or None text, and literal_evals text that
 * reads as a bool, list or dict; a template of one variable passes its number or bool as it is
 * (Templar's SINGLE_VAR). Each value is compared by its type tests and its text, and set_fact's.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const VALUES: Record<string, string> = {
  literal_int: '{{ 5 }}',
  filtered_int: "{{ '5' | int }}",
  float: '{{ 2.5 }}',
  division: '{{ 10 / 2 }}',
  length: '{{ [1, 2] | length }}',
  one_var_int: '{{ port }}',
  one_var_bool: '{{ flag }}',
  one_var_none: '{{ nothing }}',
  attribute_int: '{{ pg.port }}',
  none_literal: '{{ none }}',
  bool_expr: '{{ port > 1 }}',
  list: '{{ [1, 2] }}',
  dict: "{{ {'a': 1} }}",
  text_list: "{{ '[3]' }}",
}

const TYPES = '[v is number, v is string, v is boolean, v is mapping, v is sequence and v is not string, v is none]'
const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    port: 8080
    flag: true
    nothing: null
    pg: { port: 5432 }
${Object.entries(VALUES)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
  tasks:
${Object.keys(VALUES)
  .map((k) => `    - name: seen ${k}\n      debug: { msg: "{{ [${k} | string] + ${TYPES.replaceAll('v ', `${k} `)} }}" }`)
  .join('\n')}
    - set_fact: { made: "{{ 1 + 2 }}" }
    - name: seen set_fact
      debug: { msg: "{{ [made is number, made is string, made == '3'] }}" }
`

describe('a lone {{ expr }} gives what Ansible 2.14 gives (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('lone-values', { 'site.yml': PLAYBOOK })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('numbers an expression makes are text, a lone variable keeps its type, bools, lists and dicts are data', async () => {
    const seen = sameOutputs(await runBoth(dir, ['site.yml', '-i', 'hosts.ini']))
    assert.deepEqual(seen['seen literal_int'], ['5', false, true, false, false, false, false])
    assert.deepEqual(seen['seen one_var_int'], ['8080', true, false, false, false, false, false])
    assert.deepEqual(seen['seen set_fact'], [false, true, true])
  })
})
