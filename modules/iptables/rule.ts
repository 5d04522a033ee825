/**
 * The iptables module's arguments and the rule they make: the same words in the same order as
 * Ansible 2.14's construct_rule (the order is what Ansible returns as `rule`; iptables -C compares
 * rules whatever their order). A value starting with `!` is negated (`! -s 10.0.0.1`).
 */
import type { ParamSpecs, ParamValues } from '../schema.js'

const str = (description: string) => ({ type: 'str', description }) as const

export const IPTABLES_PARAMS = {
  table: { type: 'str', default: 'filter', choices: ['filter', 'nat', 'mangle', 'raw', 'security'], description: 'The table the rule is in.' },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the rule should be there.' },
  action: { type: 'str', default: 'append', choices: ['append', 'insert'], description: 'Add a missing rule at the end (-A) or the top (-I).' },
  ip_version: { type: 'str', default: 'ipv4', choices: ['ipv4', 'ipv6'], description: 'iptables or ip6tables.' },
  chain: str('The chain (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING, or a user-defined one).'),
  rule_num: str('With action=insert, the position to insert at.'),
  protocol: str('-p: tcp, udp, udplite, icmp, ipv6-icmp, esp, ah, sctp, all, or a number.'),
  wait: str('-w: seconds to wait for the xtables lock.'),
  source: str('-s: a source address, network or host name.'),
  to_source: str('--to-source, with jump SNAT.'),
  destination: str('-d: a destination address, network or host name.'),
  to_destination: str('--to-destination, with jump DNAT.'),
  match: { type: 'list', elements: 'str', default: [], description: '-m: extension matches (conntrack, multiport, ...), in order.' },
  tcp_flags: { type: 'dict', description: '--tcp-flags: `flags` (examined) and `flags_set` (set), lists of flag names.' },
  jump: str('-j: the target (ACCEPT, DROP, REJECT, LOG, a chain).'),
  gateway: str('--gateway, with jump TEE.'),
  log_prefix: str('--log-prefix (the jump becomes LOG).'),
  log_level: {
    type: 'str',
    choices: ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'],
    description: '--log-level (the jump becomes LOG).',
  },
  goto: str('-g: continue in this chain, without returning.'),
  in_interface: str('-i: the interface a packet came in on.'),
  out_interface: str('-o: the interface a packet goes out on.'),
  fragment: str('-f: second and later fragments.'),
  set_counters: str('-c: packet and byte counters.'),
  source_port: str('--source-port: a port or range.'),
  destination_port: str('--destination-port: a port or range.'),
  destination_ports: { type: 'list', elements: 'str', default: [], description: '-m multiport --dports: ports and ranges.' },
  to_ports: str('--to-ports, with REDIRECT or MASQUERADE.'),
  set_dscp_mark: str('--set-dscp, with jump DSCP.'),
  set_dscp_mark_class: str('--set-dscp-class, with jump DSCP.'),
  comment: str('-m comment --comment.'),
  ctstate: { type: 'list', elements: 'str', default: [], description: 'Connection states (--ctstate, or --state with match state).' },
  src_range: str('-m iprange --src-range.'),
  dst_range: str('-m iprange --dst-range.'),
  match_set: str('-m set --match-set: an ipset.'),
  match_set_flags: { type: 'str', choices: ['src', 'dst', 'src,dst', 'dst,src'], description: 'The directions match_set applies to.' },
  limit: str('-m limit --limit: an average rate (3/hour).'),
  limit_burst: str('-m limit --limit-burst.'),
  uid_owner: str('-m owner --uid-owner.'),
  gid_owner: str('-m owner --gid-owner.'),
  reject_with: str('--reject-with (the jump becomes REJECT when none is given).'),
  icmp_type: str('--icmp-type (--icmpv6-type with ipv6).'),
  syn: { type: 'str', default: 'ignore', choices: ['ignore', 'match', 'negate'], description: '--syn: match (or, negate, not) TCP SYN packets.' },
  flush: { type: 'bool', default: false, description: 'Flush the chain, or every chain of the table when none is given.' },
  policy: { type: 'str', choices: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'], description: "The chain's policy (built-in chains)." },
  chain_management: { type: 'bool', default: false, description: 'Create a missing chain for a rule; with state=absent and no rule, delete the chain.' },
} as const satisfies ParamSpecs

export type IptablesParams = ParamValues<typeof IPTABLES_PARAMS>

const ICMP_TYPE_FLAG = { ipv4: '--icmp-type', ipv6: '--icmpv6-type' } as const

/** The rule's words, in Ansible's order. */
export function ruleWords(p: IptablesParams): string[] {
  const r: string[] = []
  const param = (v: string | undefined, flag: string) => {
    if (v === undefined) return
    if (v.startsWith('!')) r.push('!', flag, v.slice(1))
    else r.push(flag, v)
  }
  const csv = (v: readonly string[], flag: string) => {
    if (v.length) r.push(flag, v.join(','))
  }
  const matchFlag = (v: string | undefined, flag: string, negatable: boolean) => {
    if (v === 'match') r.push(flag)
    else if (negatable && v === 'negate') r.push('!', flag)
  }
  const use = (on: unknown, match: string) => {
    if (on !== undefined && on !== '' && !(Array.isArray(on) && on.length === 0)) r.push('-m', match)
  }

  if (p.wait) r.push('-w', p.wait)
  param(p.protocol, '-p')
  param(p.source, '-s')
  param(p.destination, '-d')
  for (const m of p.match) param(m, '-m')
  const flags = p.tcp_flags as { flags?: string[]; flags_set?: string[] } | undefined
  if (flags?.flags && flags.flags_set) r.push('--tcp-flags', flags.flags.join(','), flags.flags_set.join(','))
  param(p.jump, '-j')
  if (p.jump?.toLowerCase() === 'tee') param(p.gateway, '--gateway')
  param(p.log_prefix, '--log-prefix')
  param(p.log_level, '--log-level')
  param(p.to_destination, '--to-destination')
  use(p.destination_ports, 'multiport')
  csv(p.destination_ports, '--dports')
  param(p.to_source, '--to-source')
  param(p.goto, '-g')
  param(p.in_interface, '-i')
  param(p.out_interface, '-o')
  param(p.fragment, '-f')
  param(p.set_counters, '-c')
  param(p.source_port, '--source-port')
  param(p.destination_port, '--destination-port')
  param(p.to_ports, '--to-ports')
  param(p.set_dscp_mark, '--set-dscp')
  param(p.set_dscp_mark_class, '--set-dscp-class')
  matchFlag(p.syn, '--syn', true)
  if (p.match.includes('conntrack')) csv(p.ctstate, '--ctstate')
  else if (p.match.includes('state')) csv(p.ctstate, '--state')
  else if (p.ctstate.length) {
    r.push('-m', 'conntrack')
    csv(p.ctstate, '--ctstate')
  }
  if (!p.match.includes('iprange')) use(p.src_range || p.dst_range, 'iprange')
  param(p.src_range, '--src-range')
  param(p.dst_range, '--dst-range')
  if (!p.match.includes('set')) use(p.match_set, 'set')
  if (p.match.includes('set') || p.match_set) {
    param(p.match_set, '--match-set')
    if (p.match_set_flags) r.push(p.match_set_flags)
  }
  use(p.limit || p.limit_burst, 'limit')
  param(p.limit, '--limit')
  param(p.limit_burst, '--limit-burst')
  for (const [v, flag] of [
    [p.uid_owner, '--uid-owner'],
    [p.gid_owner, '--gid-owner'],
  ] as const) {
    use(v, 'owner')
    matchFlag(v, flag, true)
    param(v, flag)
  }
  if (p.jump === undefined && p.reject_with) r.push('-j', 'REJECT')
  param(p.reject_with, '--reject-with')
  param(p.icmp_type, ICMP_TYPE_FLAG[p.ip_version])
  use(p.comment, 'comment')
  param(p.comment, '--comment')
  return r
}
