/** The engine's rule for facts: a result's ansible_facts become the host's facts, as Ansible's variables. */
import { UNSAFE_KEYS, unsafeKeys } from '../../../engine/vars/unsafe.js'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { RunContext } from '../../../engine/run/context.js'
import { factVars, storeResultFacts } from '../../../engine/run/host-facts.js'
import { HostState } from '../../../engine/run/host-state.js'
import { testDir } from '../../helpers/temp-dir.js'

const dir = testDir('facts-unit')
const runContext = () => ({ playbook: { dir, file: join(dir, 'site.yml'), plays: [] } }) as unknown as RunContext
const host = () =>
  new HostState('h1', () => {
    throw new Error('no connection in this test')
  })

describe('facts as variables', () => {
  it('ansible_facts without the prefix (ansible_local kept), and the facts as ansible_* variables', () => {
    const rc = runContext()
    const h = host()
    assert.deepEqual(factVars(rc, h), { ansible_facts: {} }, 'no facts yet: ansible_facts is defined and empty')
    storeResultFacts(rc, h, { changed: false, ansible_facts: { ansible_os_family: 'Debian', ansible_local: { a: 1 }, services: { cron: {} } } })
    storeResultFacts(rc, h, {
      ansible_facts: { ansible_distribution: 'Debian', ansible_host: '10.0.0.9', ansible_python_interpreter: '/x', ansible_ssh_host_key_rsa_public: 'AAA' },
    })
    storeResultFacts(rc, h, { msg: 'no facts here' })
    const v = factVars(rc, h)
    assert.deepEqual(v.ansible_facts, {
      os_family: 'Debian',
      ansible_local: { a: 1 },
      services: { cron: {} },
      distribution: 'Debian',
      host: '10.0.0.9',
      python_interpreter: '/x',
      ssh_host_key_rsa_public: 'AAA',
    })
    // a fact may not pose as a connection variable or an interpreter; ssh host keys are facts
    assert.deepEqual(Object.keys(v).sort(), [
      'ansible_distribution',
      'ansible_facts',
      'ansible_local',
      'ansible_os_family',
      'ansible_ssh_host_key_rsa_public',
      'services',
    ])
  })

  it('inject_facts_as_vars = false: only ansible_facts and ansible_local', () => {
    process.env.ANSIBLE_INJECT_FACT_VARS = 'false'
    try {
      const rc = runContext()
      const h = host()
      storeResultFacts(rc, h, { ansible_facts: { ansible_os_family: 'Debian' } })
      const vars = factVars(rc, h)
      assert.deepEqual({ ...vars, [UNSAFE_KEYS]: undefined }, { ansible_local: {}, ansible_facts: { os_family: 'Debian' }, [UNSAFE_KEYS]: undefined })
      // what the host told is unsafe data (an empty mapping holds none)
      assert.deepEqual([...(unsafeKeys(vars) ?? [])], ['ansible_facts'])
    } finally {
      delete process.env.ANSIBLE_INJECT_FACT_VARS
    }
  })
})
