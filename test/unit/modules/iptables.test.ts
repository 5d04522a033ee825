import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { iptablesChain, iptablesRule } from '../../../modules/facts/iptables.js'
import { iptables } from '../../../modules/iptables.js'
import { ruleWords } from '../../../modules/iptables/rule.js'
import { validateParams } from '../../../modules/schema.js'
import type { FactEffect, Plan } from '../../../modules/types.js'
import { fakeCtx } from './fake-ctx.js'

// each case's rule as Ansible 2.14.18's construct_rule makes it (recorded from Debian's ansible-core)
const CASES: [Record<string, unknown>, string[]][] = [
  [
    { chain: 'INPUT', protocol: 'tcp', destination_port: '22', ctstate: ['NEW'], jump: 'ACCEPT', comment: 'ssh' },
    ['-p', 'tcp', '-j', 'ACCEPT', '--destination-port', '22', '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'ssh'],
  ],
  [
    { chain: 'INPUT', source: '!10.0.0.0/8', match: ['conntrack'], ctstate: ['ESTABLISHED', 'RELATED'], jump: 'ACCEPT' },
    ['!', '-s', '10.0.0.0/8', '-m', 'conntrack', '-j', 'ACCEPT', '--ctstate', 'ESTABLISHED,RELATED'],
  ],
  [
    { chain: 'INPUT', match: ['state'], ctstate: ['NEW'], protocol: 'udp', destination_ports: ['53', '1000:2000'], jump: 'DROP' },
    ['-p', 'udp', '-m', 'state', '-j', 'DROP', '-m', 'multiport', '--dports', '53,1000:2000', '--state', 'NEW'],
  ],
  [
    { chain: 'INPUT', src_range: '10.0.0.1-10.0.0.9', reject_with: 'tcp-reset', protocol: 'tcp' },
    ['-p', 'tcp', '-m', 'iprange', '--src-range', '10.0.0.1-10.0.0.9', '-j', 'REJECT', '--reject-with', 'tcp-reset'],
  ],
  [{ chain: 'INPUT', match: ['iprange'], dst_range: '10.1.0.1-10.1.0.9', jump: 'DROP' }, ['-m', 'iprange', '-j', 'DROP', '--dst-range', '10.1.0.1-10.1.0.9']],
  [
    { chain: 'INPUT', match_set: 'admins', match_set_flags: 'src', jump: 'ACCEPT', wait: '5' },
    ['-w', '5', '-j', 'ACCEPT', '-m', 'set', '--match-set', 'admins', 'src'],
  ],
  [
    { chain: 'INPUT', limit: '3/minute', limit_burst: '5', jump: 'LOG', log_prefix: 'IPT: ', log_level: 'info' },
    ['-j', 'LOG', '--log-prefix', 'IPT: ', '--log-level', 'info', '-m', 'limit', '--limit', '3/minute', '--limit-burst', '5'],
  ],
  [
    { chain: 'OUTPUT', uid_owner: '!0', gid_owner: '33', jump: 'DROP', out_interface: 'eth0' },
    ['-j', 'DROP', '-o', 'eth0', '-m', 'owner', '!', '--uid-owner', '0', '-m', 'owner', '--gid-owner', '33'],
  ],
  [
    { chain: 'PREROUTING', table: 'nat', in_interface: 'eth0', protocol: 'tcp', destination_port: '80', jump: 'REDIRECT', to_ports: '8080' },
    ['-p', 'tcp', '-j', 'REDIRECT', '-i', 'eth0', '--destination-port', '80', '--to-ports', '8080'],
  ],
  [
    { chain: 'POSTROUTING', table: 'nat', source: '10.0.0.0/24', jump: 'SNAT', to_source: '192.0.2.1' },
    ['-s', '10.0.0.0/24', '-j', 'SNAT', '--to-source', '192.0.2.1'],
  ],
  [
    { chain: 'INPUT', protocol: 'tcp', syn: 'negate', tcp_flags: { flags: ['ALL'], flags_set: ['ACK', 'SYN'] }, jump: 'DROP' },
    ['-p', 'tcp', '--tcp-flags', 'ALL', 'ACK,SYN', '-j', 'DROP', '!', '--syn'],
  ],
  [
    { chain: 'INPUT', ip_version: 'ipv6', protocol: 'ipv6-icmp', icmp_type: 'echo-request', jump: 'ACCEPT' },
    ['-p', 'ipv6-icmp', '-j', 'ACCEPT', '--icmpv6-type', 'echo-request'],
  ],
  [{ chain: 'INPUT', protocol: 'icmp', icmp_type: '8', jump: 'ACCEPT' }, ['-p', 'icmp', '-j', 'ACCEPT', '--icmp-type', '8']],
  [{ chain: 'FORWARD', jump: 'TEE', gateway: '10.0.0.2' }, ['-j', 'TEE', '--gateway', '10.0.0.2']],
  [
    { chain: 'mangle', table: 'mangle', jump: 'DSCP', set_dscp_mark_class: 'CS1', source_port: '!1024:65535', protocol: 'tcp' },
    ['-p', 'tcp', '-j', 'DSCP', '!', '--source-port', '1024:65535', '--set-dscp-class', 'CS1'],
  ],
  [
    { chain: 'INPUT', match: ['comment', 'tcp'], protocol: 'tcp', comment: 'x y', syn: 'match' },
    ['-p', 'tcp', '-m', 'comment', '-m', 'tcp', '--syn', '-m', 'comment', '--comment', 'x y'],
  ],
  [{ chain: 'INPUT', goto: 'LOGGING', destination: '192.0.2.0/24' }, ['-d', '192.0.2.0/24', '-g', 'LOGGING']],
  [{ chain: 'INPUT' }, []],
]

const params = (raw: Record<string, unknown>) => validateParams(iptables, raw)
const out = (s: string) => ({ rc: 0, stdout: s, stderr: '' })

describe('iptables', () => {
  it("makes the rule words Ansible's construct_rule makes, in its order", () => {
    for (const [raw, words] of CASES) assert.deepEqual(ruleWords(params(raw)), words, JSON.stringify(raw))
  })

  it('reads a rule and its chain in one command; parses -C and the chain header', () => {
    const CHAIN = ['iptables', 'filter', 'INPUT'] as const
    const ARGS: [string, string, string, string[]] = [...CHAIN, ['-j', 'ACCEPT']]
    const cmd = iptablesRule.command('iptables', 'filter', 'INPUT', ['-p', 'tcp', '-j', 'ACCEPT'])
    assert.deepEqual(cmd.argv.slice(-7), ['iptables', 'filter', 'INPUT', '-p', 'tcp', '-j', 'ACCEPT'])
    assert.deepEqual(iptablesRule.parse(out('rule 1\nchain 0\nChain INPUT (policy DROP)\n'), ...ARGS), {
      present: false,
      chain: { exists: true, policy: 'DROP' },
    })
    assert.deepEqual(iptablesRule.parse(out('rule 0\nchain 0\nChain LOGGING (1 references)\n'), ...ARGS), { present: true, chain: { exists: true } })
    assert.deepEqual(iptablesChain.parse(out('chain 1\niptables: No chain/target/match by that name.\n'), ...CHAIN), { exists: false })
    assert.throws(
      () => iptablesChain.parse({ rc: 127, stdout: '', stderr: 'Failed to find required executable "iptables" in paths: /usr/bin' }, ...CHAIN),
      /Failed to find/,
    )
  })

  // a check run: each task plans against the effects of the ones before it
  async function checkRun(host: Record<string, string>, tasks: Record<string, unknown>[]): Promise<Plan[]> {
    const effects: FactEffect[] = []
    const plans: Plan[] = []
    for (const t of tasks) {
      const plan = await iptables.plan(params(t), fakeCtx(host, { check: true, effects: [...effects] }))
      plans.push(plan)
      if (plan.kind === 'change') for (const c of plan.changes) effects.push(...(c.effects ?? []))
    }
    return plans
  }
  const kinds = (plans: Plan[]) => plans.map((p) => p.kind)
  const rule = ['-p', 'tcp', '-j', 'ACCEPT', '--destination-port', '22']
  const ruleRead = (chain: string, words: string[]) => JSON.stringify(['iptables.rule', 'iptables', 'filter', chain, words])
  const chainRead = (chain: string) => JSON.stringify(['iptables.chain', 'iptables', 'filter', chain])
  const ssh = { chain: 'INPUT', protocol: 'tcp', destination_port: '22', jump: 'ACCEPT' }

  it('check mode: a rule added, then found; deleted, then gone; a flush forgets every rule of the chain', async () => {
    const host = { [ruleRead('INPUT', rule)]: 'rule 1\nchain 0\nChain INPUT (policy ACCEPT)\n', [chainRead('INPUT')]: 'chain 0\nChain INPUT (policy ACCEPT)\n' }
    const plans = await checkRun(host, [
      ssh,
      ssh,
      { ...ssh, state: 'absent' },
      { ...ssh, state: 'absent' },
      ssh,
      { chain: 'INPUT', flush: true },
      { ...ssh, state: 'absent' },
    ])
    assert.deepEqual(kinds(plans), ['change', 'ok', 'change', 'ok', 'change', 'change', 'ok'])
  })

  it('check mode: a chain created for a rule (chain_management) is there for a jump to it; its policy is read once', async () => {
    const log = ['-j', 'LOG', '--log-prefix', 'dropped: ']
    const jump = ['-j', 'LOGGING']
    const host = {
      [ruleRead('LOGGING', log)]: 'rule 1\nchain 1\niptables: No chain/target/match by that name.\n',
      [ruleRead('INPUT', jump)]: 'rule 2\nchain 0\nChain INPUT (policy ACCEPT)\n',
      [chainRead('INPUT')]: 'chain 0\nChain INPUT (policy ACCEPT)\n',
    }
    const ctx = fakeCtx(host, { check: true })
    const first = await iptables.plan(params({ chain: 'LOGGING', log_prefix: 'dropped: ', chain_management: true }), ctx)
    assert.equal(first.kind, 'change')
    assert.deepEqual(first.kind === 'change' && first.changes[0]!.commands.map((c) => c.argv), [
      ['iptables', '-t', 'filter', '-N', 'LOGGING'],
      ['iptables', '-t', 'filter', '-A', 'LOGGING', ...log],
    ])
    assert.equal(first.data?.rule, '--log-prefix dropped: ', "Ansible's rule is made before the jump becomes LOG")
    const plans = await checkRun(host, [
      { chain: 'LOGGING', log_prefix: 'dropped: ', chain_management: true },
      { chain: 'LOGGING', log_prefix: 'dropped: ', chain_management: true },
      { chain: 'INPUT', jump: 'LOGGING' },
      { chain: 'INPUT', policy: 'DROP' },
      { chain: 'INPUT', policy: 'DROP' },
      { chain: 'LOGGING', state: 'absent', chain_management: true },
      { chain: 'LOGGING', state: 'absent', chain_management: true },
    ])
    assert.deepEqual(kinds(plans), ['change', 'ok', 'change', 'change', 'ok', 'change', 'ok'])
  })

  it('refuses what Ansible refuses, in its words', async () => {
    const ctx = fakeCtx({}, { check: true })
    await assert.rejects(iptables.plan(params({ protocol: 'tcp' }), ctx), /Either chain or flush parameter must be specified\./)
    await assert.rejects(
      iptables.plan(params({ chain: 'INPUT', jump: 'DROP', log_prefix: 'x' }), ctx),
      /Logging options can only be used with the LOG jump target\./,
    )
    const userChain = fakeCtx({ [chainRead('LOGGING')]: 'chain 0\nChain LOGGING (0 references)\n' })
    await assert.rejects(iptables.plan(params({ chain: 'LOGGING', policy: 'DROP' }), userChain), /Can't detect current policy/)
    assert.throws(() => params({ chain: 'INPUT', flush: true, policy: 'DROP' }), /mutually exclusive/)
    assert.throws(() => params({ chain: 'INPUT', jump: 'TEE' }), /gateway/)
  })
})
