/**
 * acplay's templating against a recording of what Ansible's own (Jinja2 3.1 with Ansible's
 * environment, filters and tests) gives for the same template and vars. The cases are in
 * test/fixtures/jinja/cases.yml; scripts/record-jinja-cases.py runs them through Ansible and
 * writes test/fixtures/jinja/recorded.json, which this test reads (it needs no Python).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { repr } from '../../../engine/vars/py.js'
import { Templar, type Vars } from '../../../engine/vars/template.js'

interface Recorded {
  mode: 'r' | 'e' | 's'
  src: string
  vars?: Vars
  templates?: Record<string, string>
  expect?: string
  error?: string
  python_error?: string
}

const file = new URL('../../../../test/fixtures/jinja/recorded.json', import.meta.url)
const recording = JSON.parse(readFileSync(file, 'utf8')) as { vars: Vars; cases: Recorded[] }
const t = new Templar()

/** What acplay gives for a case, in the recording's terms (text, or repr() of a value). */
function acplay(c: Recorded): string {
  const vars = { ...recording.vars, ...c.vars }
  const opts = { pythonTypes: true, loader: c.templates ? (name: string) => c.templates?.[name] : undefined }
  if (c.mode === 'r') return t.render(c.src, vars, undefined, opts)
  if (c.mode === 'e') return repr(t.evaluate(c.src, vars, undefined, opts))
  const inner = c.src.slice(2, -2)
  const lone = c.src.startsWith('{{') && c.src.endsWith('}}') && !inner.includes('{{') && !inner.includes('{%')
  const v = t.templateValue(c.src, vars, undefined, opts)
  return lone ? repr(v) : (v as string)
}

describe('templating matches Ansible (recorded from Ansible 2.14 / Jinja2 3.1)', () => {
  it('has a recording of at least 150 cases', () => {
    assert.ok(recording.cases.length >= 150, `${recording.cases.length} cases`)
  })
  recording.cases.forEach((c, i) => {
    const name = `${i}: ${c.mode} ${JSON.stringify(c.src).slice(0, 100)}`
    if (c.python_error !== undefined) {
      it(`${name} fails (as Ansible: ${c.python_error.slice(0, 80)})`, () => {
        assert.throws(
          () => acplay(c),
          (e: unknown) => e instanceof AcplayError && (!c.error || e.message.includes(c.error)),
          `expected an error${c.error ? ` mentioning ${JSON.stringify(c.error)}` : ''}`,
        )
      })
    } else {
      it(name, () => {
        assert.equal(acplay(c), c.expect)
      })
    }
  })
})
