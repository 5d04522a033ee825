import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDryRun, ufwState, type UfwState } from '../../../modules/facts/ufw.js'
import { insertPosition } from '../../../modules/ufw.js'

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
