/** The `config` lookup: Ansible's setting names, answered from the environment and the run's ansible.cfg (never the command line). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { LOOKUP_CONTEXT, type LookupContext } from '../../../engine/vars/lookups/context.js'
import { Templar } from '../../../engine/vars/template.js'

const P = mkdtempSync(join(tmpdir(), 'acplay-config-lookup-'))
after(() => rmSync(P, { recursive: true, force: true }))
const file = join(P, 'ansible.cfg')
writeFileSync(
  file,
  '[defaults]\nforks = 20\nremote_user = deploy\nroles_path = ./roles:/opt/roles\n[privilege_escalation]\nbecome = yes\nbecome_user = nobody\n',
)

const t = new Templar()
const warnings: string[] = []
const ctx: LookupContext = { baseDir: P, candidates: () => [], secret: () => {}, warn: (m) => warnings.push(m), hosts: () => [] }
const vars = { ansible_config_file: file, [LOOKUP_CONTEXT]: ctx }
const ev = (expr: string) => t.evaluate(expr, vars)

describe("lookup('config')", () => {
  it('answers typed values, by short or full name', () => {
    assert.equal(ev("lookup('config', 'DEFAULT_FORKS')"), 20)
    assert.equal(ev("lookup('ansible.builtin.config', 'DEFAULT_BECOME')"), true)
    assert.equal(ev("lookup('config', 'DEFAULT_BECOME_USER')"), 'nobody')
    assert.equal(ev("lookup('config', 'DEFAULT_BECOME_METHOD')"), 'sudo')
    assert.equal(ev("lookup('config', 'DEFAULT_PRIVATE_KEY_FILE')"), null)
    assert.deepEqual(ev("lookup('config', 'DEFAULT_ROLES_PATH')"), [join(P, 'roles'), '/opt/roles'])
    assert.deepEqual(ev("query('config', 'DEFAULT_REMOTE_USER', 'DEFAULT_MANAGED_STR')"), ['deploy', 'Ansible managed'])
  })

  it('the environment wins over the file', () => {
    process.env.ANSIBLE_BECOME_USER = 'pg'
    try {
      assert.equal(ev("lookup('config', 'DEFAULT_BECOME_USER')"), 'pg')
    } finally {
      delete process.env.ANSIBLE_BECOME_USER
    }
  })

  it('no ansible.cfg in the run: the defaults', () => {
    assert.equal(t.evaluate("lookup('config', 'DEFAULT_BECOME_USER')", { ansible_config_file: null, [LOOKUP_CONTEXT]: ctx }), 'root')
  })

  it('on_missing: error (the default), warn, skip; anything else is an error', () => {
    assert.throws(
      () => ev("lookup('config', 'NO_SUCH_SETTING')"),
      (e: unknown) => e instanceof AcplayError && /Unable to find setting NO_SUCH_SETTING/.test(e.message),
    )
    assert.deepEqual(ev("query('config', 'NO_SUCH_SETTING', 'DEFAULT_FORKS', on_missing='skip')"), [20])
    assert.deepEqual(ev("query('config', 'NO_SUCH_SETTING', on_missing='warn')"), [])
    assert.deepEqual(warnings, ['Skipping, did not find setting NO_SUCH_SETTING'])
    assert.throws(() => ev("lookup('config', 'DEFAULT_FORKS', on_missing='maybe')"), /"on_missing" must be a string and one of "error", "warn" or "skip"/)
  })
})
