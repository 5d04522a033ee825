/**
 * iptables on real hosts (each host's own network namespace: netAdmin), side by side with
 * ansible-playbook: rules in filter, nat and ip6tables, an inserted rule, a user chain made for a
 * LOG rule and jumped to, a policy, a rule and a chain made by hand removed, a flush; the same rules
 * and the same changed counts, check mode predicting the first run. Nothing here drops the testbed's
 * own traffic (sources are TEST-NET, the policy set is FORWARD's).
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { iptables } from '../../modules/iptables.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: new ssh connections
      ansible.builtin.iptables: { chain: INPUT, protocol: tcp, destination_port: 22, ctstate: [NEW], jump: ACCEPT, comment: ssh }
    - name: established first
      iptables: { chain: INPUT, match: [conntrack], ctstate: [ESTABLISHED, RELATED], jump: ACCEPT, action: insert, rule_num: 1 }
    - name: a logging chain, made for its rule
      iptables: { chain: LOGGING, chain_management: true, limit: 2/min, log_prefix: "dropped: ", log_level: "4" }
    - name: what it logs, it drops
      iptables: { chain: LOGGING, jump: DROP }
    - name: a test network goes to it
      iptables: { chain: INPUT, source: 192.0.2.0/24, jump: LOGGING }
    - name: a port redirected
      iptables: { table: nat, chain: PREROUTING, protocol: tcp, destination_port: "8080", jump: REDIRECT, to_ports: "80" }
    - name: ipv6 echo requests
      iptables: { ip_version: ipv6, chain: INPUT, protocol: ipv6-icmp, icmp_type: echo-request, jump: ACCEPT }
    - name: nothing forwarded
      iptables: { chain: FORWARD, policy: DROP }
    - name: a rule made by hand goes
      iptables: { chain: INPUT, protocol: udp, destination_port: "9999", jump: ACCEPT, state: absent }
    - name: a chain made by hand is flushed (always a change)
      iptables: { chain: HANDMADE, flush: true }
    - name: an empty chain made by hand is deleted
      iptables: { chain: EMPTY, state: absent, chain_management: true }
    - name: a chain without chain_management is reported changed and left (Ansible's rule)
      iptables: { chain: HANDMADE, state: absent }
`
const SEED = 'iptables -A INPUT -p udp --dport 9999 -j ACCEPT && iptables -N HANDMADE && iptables -A HANDMADE -j RETURN && iptables -N EMPTY'
const STATE = 'for t in filter nat; do iptables -t $t -S; done; ip6tables -S'

describe('iptables on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ipt-a', 'ipt-b'], { netAdmin: true })
  const root = hostConnections(bed, 'ipt-a')
  const sides = new SideBySide(bed, 'ipt-a', 'ipt-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('ipt-a', script)).stdout
  before(async () => {
    for (const h of ['ipt-a', 'ipt-b']) {
      const r = await bed().exec(h, SEED)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same rules', async () => {
    const rules = await sides.firstRun(12)
    assert.match(rules, /^-P FORWARD DROP$/m)
    assert.match(
      rules,
      /^-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment ssh -j ACCEPT\n-A INPUT -s 192\.0\.2\.0\/24 -j LOGGING$/m,
    )
    // log level 4 is the LOG target's default: iptables -S leaves it out
    assert.match(rules, /^-A LOGGING -m limit --limit 2\/min -j LOG --log-prefix "dropped: "\n-A LOGGING -j DROP$/m)
    assert.match(rules, /^-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 80$/m)
    assert.match(rules, /^-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT$/m)
    assert.match(rules, /^-N HANDMADE$/m, 'left, as Ansible leaves it')
    assert.doesNotMatch(rules, /9999|EMPTY|RETURN/)
  })

  it('re-runs: only the flush and the chain left without chain_management report changed, with either tool', () => sides.rerun(2))

  it('drift: a rule deleted and the policy reset by hand are found in check mode; both tools repair them alike', async () => {
    await sides.drift('iptables -D INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment ssh -j ACCEPT && iptables -P FORWARD ACCEPT', 4)
  })

  it('a rule iptables refuses fails with its message; an unknown chain without chain_management too', async () => {
    const bad = await realRun(iptables, { chain: 'INPUT', protocol: 'nosuch', jump: 'ACCEPT' }, root())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /unknown protocol "nosuch"/)
    const noChain = await realRun(iptables, { chain: 'NOPE', jump: 'ACCEPT' }, root())
    assert.equal(noChain.status, 'failed')
    assert.match(noChain.msg!, /No chain\/target\/match by that name/)
    const planned = await checkRun(iptables, { chain: 'NOPE', jump: 'ACCEPT' }, root())
    assert.equal(planned.status, 'changed', 'check mode cannot tell (as Ansible): the chain may come from elsewhere')
    assert.doesNotMatch(await sh(STATE), /nosuch|NOPE/)
  })
})
