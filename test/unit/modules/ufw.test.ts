import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDryRun, ufwState, type UfwState } from '../../../modules/facts/ufw.js'
import { validateParams } from '../../../modules/schema.js'
import { insertPosition, ufwModule } from '../../../modules/ufw.js'
import { fakeCtx } from './fake-ctx.js'

const STATE_OUT = `Status: active
Logging: on (medium)
Default: deny (incoming), allow (outgoing), deny (routed)

@@conf
ENABLED=yes
LOGLEVEL=medium
@@default
IPV6=yes
DEFAULT_INPUT_POLICY="DROP"
DEFAULT_OUTPUT_POLICY="ACCEPT"
DEFAULT_FORWARD_POLICY="REJECT"
@@v4
### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in
@@v6
### tuple ### allow tcp 22 ::/0 any ::/0 in
`

describe('ufw facts', () => {
  it('reads status, ufw.conf, the default policies and the tuples of both families', () => {
    const s = ufwState.parse({ rc: 0, stdout: STATE_OUT, stderr: '' })
    assert.deepEqual(
      { ...s, status: undefined },
      {
        active: true,
        enabled: true,
        logLevel: 'medium',
        policy: { incoming: 'deny', outgoing: 'allow', routed: 'reject' },
        v4: ['### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'],
        v6: ['### tuple ### allow tcp 22 ::/0 any ::/0 in'],
        status: undefined,
      },
    )
  })
  it('a dry run prints one block per rules file; an IPv4-only rule leaves the IPv6 file alone; "Skipping" prints none', () => {
    const v4 = '*filter\n:ufw-user-input - [0:0]\n### RULES ###\n### tuple ### allow tcp 80 0.0.0.0/0 any 10.0.0.1 in\n-A ufw-user-input -j ACCEPT\nCOMMIT\n'
    const v6 = '*filter\n:ufw6-user-input - [0:0]\n### tuple ### allow tcp 80 ::/0 any ::/0 in\nCOMMIT\nRules updated\n'
    assert.deepEqual(parseDryRun(v4), { v4: ['### tuple ### allow tcp 80 0.0.0.0/0 any 10.0.0.1 in'] })
    assert.deepEqual(parseDryRun(v4 + v6).v6, ['### tuple ### allow tcp 80 ::/0 any ::/0 in'])
    assert.deepEqual(parseDryRun('Skipping adding existing rule\nSkipping adding existing rule (v6)\n'), {})
  })
  it('insert_relative_to as Ansible counts it (numbered rules of the active firewall, v4 first)', () => {
    const s = { active: true, v4: ['a', 'b'], v6: ['c', 'd'] } as UfwState
    assert.equal(insertPosition(3, 'zero', s), 3)
    assert.equal(insertPosition(0, 'first-ipv4', s), 1)
    assert.equal(insertPosition(-1, 'last-ipv4', s), 1)
    assert.equal(insertPosition(0, 'first-ipv6', s), 3)
    assert.equal(insertPosition(0, 'last-ipv6', s), 4)
    assert.equal(insertPosition(1, 'last-ipv6', s), undefined, 'past the last rule: appended')
    assert.equal(insertPosition(0, 'first-ipv6', { ...s, active: false }), undefined)
  })
})

describe('ufw logging, changed as Ansible counts it', () => {
  // Ansible compares with `ufw status verbose`, which has no Logging line while the firewall is inactive
  const inactive = STATE_OUT.replace(
    'Status: active\nLogging: on (medium)\nDefault: deny (incoming), allow (outgoing), deny (routed)\n',
    'Status: inactive\n',
  ).replace('ENABLED=yes', 'ENABLED=no')
  const plan = (out: string) => ufwModule.plan(validateParams(ufwModule, { logging: 'medium' }), fakeCtx({ '["ufw.state"]': out }))
  it('the level already set on an active firewall: ok', async () => {
    assert.equal((await plan(STATE_OUT)).kind, 'ok')
  })
  it('the level already set on an inactive firewall: changed (the command runs), as in Ansible', async () => {
    const p = await plan(inactive)
    assert.equal(p.kind, 'change')
    assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.commands[0]), [{ argv: ['ufw', 'logging', 'medium'] }])
  })
})

describe('ufw check mode: a delete of a rule an earlier task only plans', () => {
  // weareinteractive.ufw's README rules: `allow app OpenSSH`, then the same with delete: true
  const ssh4 = '### tuple ### allow any 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in'
  const ssh6 = '### tuple ### allow any 22 ::/0 any ::/0 OpenSSH - in'
  const host = ufwState.parse({ rc: 0, stdout: STATE_OUT, stderr: '' })
  const current = `@@v4\n${host.v4.join('\n')}\n@@v6\n${host.v6.join('\n')}\n`
  const block = (fam: 'ufw' | 'ufw6', tuples: string[]) => `*filter\n:${fam}-user-input - [0:0]\n### RULES ###\n${tuples.join('\n')}\nCOMMIT\n`
  const args = (del: boolean) => [...(del ? ['delete'] : []), 'allow', 'from', 'any', 'to', 'any', 'app', 'OpenSSH']
  const recorded = {
    // on the host the rule is not there: ufw prints no rules for its delete
    [JSON.stringify(['ufw.dryrun', args(true)])]: `Could not delete non-existent rule\nCould not delete non-existent rule (v6)\n${current}`,
    [JSON.stringify(['ufw.dryrun', args(false)])]: `${block('ufw', [...host.v4, ssh4])}${block('ufw6', [...host.v6, ssh6])}${current}`,
  }
  it('is planned changed (the run would delete what the earlier task adds), as Ansible says it', async () => {
    const effects = [{ fact: 'ufw.state', key: '[]', value: { ...host, v4: [...host.v4, ssh4], v6: [...host.v6, ssh6] } }]
    const p = await ufwModule.plan(validateParams(ufwModule, { rule: 'allow', name: 'OpenSSH', delete: true }), fakeCtx(recorded, { check: true, effects }))
    assert.equal(p.kind, 'change')
  })
})
