/**
 * ufw on real hosts (iptables in each host's own network namespace: netAdmin), side by side with
 * ansible-playbook: rules, policies, logging and the loaded firewall must end up the same, with the
 * same changed counts. SSH (22/tcp) is allowed before the firewall is enabled and never removed.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { runModule } from '../../engine/module-runner.js'
import { ufwModule } from '../../modules/ufw.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: ssh stays reachable
      community.general.ufw: { rule: allow, port: "22", proto: tcp }
    - name: a rate-limited port with a comment
      ufw: { rule: limit, port: "2222", proto: tcp, comment: rate limited ssh }
    - name: a network
      ufw: { rule: allow, src: 10.231.0.0/16 }
    - name: an application profile
      ufw: { rule: allow, name: OpenSSH }
    - name: a rule made by hand goes
      ufw: { rule: allow, port: "8080", delete: true }
    - name: logging
      ufw: { logging: medium }
    - name: enabled, incoming denied
      ufw: { state: enabled, policy: deny }
    - name: routed traffic allowed
      ufw: { default: allow, direction: routed }
    - name: a rule inserted first
      ufw: { rule: allow, port: "443", proto: tcp, insert: 1 }
`
const STATE = `ufw status verbose; grep -h '^### tuple' /etc/ufw/user.rules /etc/ufw/user6.rules; grep -E '^(ENABLED|LOGLEVEL)' /etc/ufw/ufw.conf
grep POLICY /etc/default/ufw; iptables -S ufw-user-input; ip6tables -S ufw6-user-input`

describe('ufw on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ufw-a', 'ufw-b'], { netAdmin: true })
  const root = hostConnections(bed, 'ufw-a')
  const sides = new SideBySide(bed, 'ufw-a', 'ufw-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('ufw-a', script)).stdout
  before(async () => {
    for (const h of ['ufw-a', 'ufw-b']) assert.equal((await bed().exec(h, 'ufw allow 8080 >/dev/null')).rc, 0)
  })

  it('check mode on the fresh host predicts the run; both tools leave the same rules, policies and firewall', async () => {
    const a = await sides.firstRun(9)
    assert.match(a, /^Status: active\nLogging: on \(medium\)\nDefault: deny \(incoming\), allow \(outgoing\), allow \(routed\)/)
    assert.match(a, /### tuple ### allow tcp 443 0.0.0.0\/0 any 0.0.0.0\/0 in\n### tuple ### allow tcp 22 0.0.0.0\/0 any 0.0.0.0\/0 in\n/)
    assert.doesNotMatch(a, /8080/)
    assert.match(a, /-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a rule deleted and logging lowered by hand are found in check mode; both tools repair them alike', async () => {
    await sides.drift('ufw delete limit 2222/tcp >/dev/null && ufw logging low >/dev/null', 2)
  })

  it('check mode plans a rule against an earlier change: added then deleted in the same run', async () => {
    const effects = new EffectStore()
    const env = { ...root(), check: true, diff: false, effects }
    const add = await runModule(ufwModule, { rule: 'deny', port: '2323', proto: 'udp' }, env)
    assert.equal(add.status, 'changed', add.msg)
    const del = await runModule(ufwModule, { rule: 'deny', port: '2323', proto: 'udp', delete: true }, env)
    assert.equal(del.status, 'changed', 'the rule the earlier task adds is deleted')
    const again = await runModule(ufwModule, { rule: 'deny', port: '2323', proto: 'udp', delete: true }, env)
    assert.equal(again.status, 'ok', 'and then it is gone')
    assert.doesNotMatch(await sh('ufw status'), /2323/, 'check mode changed nothing')
  })

  it("a bad rule fails with ufw's message; the registered msg is the status afterwards", async () => {
    const bad = await realRun(ufwModule, { rule: 'allow', port: '99999' }, root())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /ERROR: Bad port '99999'/)
    const r = await realRun(ufwModule, { rule: 'deny', port: '6000:6010', proto: 'tcp' }, root())
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(r.data.commands, ['ufw deny from any to any port 6000:6010 proto tcp'])
    assert.match(r.data.msg as string, /^Status: active\n[\s\S]*6000:6010\/tcp +DENY IN +Anywhere/)
  })
})
