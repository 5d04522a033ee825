/**
 * iptables (ansible.builtin.iptables): one rule in a chain (present or absent, appended or inserted),
 * a chain's policy, a flush, user-defined chains (chain_management), with the decisions of Ansible
 * 2.14's module: the same rule words in the same order (iptables/rule.ts), `-C` to ask whether the
 * rule is there, and its quirks kept where they decide `changed` (a flush always changes; state=absent
 * without a rule reports an existing chain changed, and deletes it only with chain_management).
 * Rules are not saved across reboots, as in Ansible (persist them with iptables-persistent).
 *
 * Effects recorded (check mode): iptables.rule for the rule's key; iptables.chain for the chain's,
 * with its complete rule list once a flush, creation or deletion makes it known. A flush of a whole
 * table makes its chains and rules unknown until it has run.
 */
import { ModuleFailure } from '../engine/errors.js'
import { chainKey, iptablesChain, iptablesRule, ruleKey, type ChainState, type RuleState } from './facts/iptables.js'
import { IPTABLES_PARAMS, ruleWords } from './iptables/rule.js'
import { defineModule, type Command, type FactEffect, type ModuleContext, type Plan } from './types.js'

const BINS = { ipv4: 'iptables', ipv6: 'ip6tables' } as const

export const iptables = defineModule({
  name: 'iptables',
  aliases: ['ansible.builtin.iptables'],
  summary: 'Modify iptables rules',
  description:
    'Adds (-A, or -I with action=insert) or deletes (-D) one rule when `iptables -C` says it is missing or there; sets a ' +
    "built-in chain's policy; flushes a chain or a table; creates and deletes user-defined chains with chain_management. " +
    'Changes are not saved across reboots.',
  params: IPTABLES_PARAMS,
  mutuallyExclusive: [
    ['set_dscp_mark', 'set_dscp_mark_class'],
    ['flush', 'policy'],
  ],
  requiredIf: [
    ['jump', 'TEE', ['gateway']],
    ['jump', 'tee', ['gateway']],
  ],
  returns: {
    rule: 'the rule words, joined (as Ansible returns them)',
    table: 'the table',
    chain: 'the chain',
    ip_version: 'ipv4 or ipv6',
    flush: 'whether the chain or table was flushed',
    state: 'the state asked for',
    chain_management: 'whether chains are created and deleted',
  },
  examples: `
- ansible.builtin.iptables:
    chain: INPUT
    protocol: tcp
    destination_port: "22"
    ctstate: [NEW]
    jump: ACCEPT
    comment: ssh
- ansible.builtin.iptables: { chain: INPUT, policy: DROP }
- ansible.builtin.iptables: { chain: LOGGING, chain_management: true }
`,
  async plan(p, ctx): Promise<Plan> {
    const bin = BINS[p.ip_version]
    const data = {
      ip_version: p.ip_version,
      table: p.table,
      chain: p.chain ?? null,
      flush: p.flush,
      rule: ruleWords(p).join(' '),
      state: p.state,
      chain_management: p.chain_management,
    }
    if (!p.flush && p.chain === undefined) throw new ModuleFailure('Either chain or flush parameter must be specified.', data)
    let jump = p.jump
    if (p.log_prefix !== undefined || p.log_level !== undefined) {
      if (jump === undefined) jump = 'LOG'
      else if (jump !== 'LOG') throw new ModuleFailure('Logging options can only be used with the LOG jump target.', data)
    }
    const rule = ruleWords({ ...p, jump })
    const run = (action: string, ...rest: string[]): Command => ({ argv: [bin, '-t', p.table, action, ...(p.chain !== undefined ? [p.chain] : []), ...rest] })
    const change = (summary: string, commands: Command[], effects?: FactEffect[]): Plan => ({
      kind: 'change',
      changes: [{ summary, commands, effects }],
      data,
    })
    const where = `${p.table} ${p.chain ?? '(every chain)'}${p.ip_version === 'ipv6' ? ' (ipv6)' : ''}`

    if (p.flush) {
      if (p.chain === undefined)
        return {
          kind: 'change',
          changes: [{ summary: `flush every chain of ${where}`, commands: [run('-F')], unknowns: [{ fact: iptablesChain.name }, { fact: iptablesRule.name }] }],
          data,
        }
      // a flush always changes: the chain is read only for what check mode's later tasks see of it
      if (!ctx.check) return change(`flush ${where}`, [run('-F')])
      const chain = await chainState(ctx, bin, p.table, p.chain)
      return change(`flush ${where}`, [run('-F')], [chainEffect(bin, p.table, p.chain, { ...chain, known: [] })])
    }
    const chainName = p.chain!

    if (p.policy !== undefined) {
      const chain = await chainState(ctx, bin, p.table, chainName)
      if (!chain.policy) throw new ModuleFailure("Can't detect current policy", data)
      if (chain.policy === p.policy) return { kind: 'ok', reason: `policy of ${where} is ${p.policy}`, data }
      return change(
        `policy of ${where}: ${chain.policy} -> ${p.policy}`,
        [run('-P', p.policy)],
        [chainEffect(bin, p.table, chainName, { ...chain, policy: p.policy })],
      )
    }

    if (p.state === 'absent' && data.rule === '') {
      const chain = await chainState(ctx, bin, p.table, chainName)
      if (!chain.exists) return { kind: 'ok', reason: `no chain ${where}`, data }
      // Ansible's: an existing chain is reported changed, and deleted only with chain_management
      if (!p.chain_management) return change(`chain ${where} exists (chain_management is off: left alone)`, [])
      return change(`delete chain ${where}`, [run('-X')], [chainEffect(bin, p.table, chainName, { exists: false, known: [] })])
    }

    const key = ruleKey(bin, p.table, chainName, rule)
    const { chain, present } = await ruleState(ctx, bin, p.table, chainName, rule)
    const want = p.state === 'present'
    const shown = rule.join(' ') || '(an empty rule)'
    if (present === want) return { kind: 'ok', reason: `rule ${shown} is ${want ? '' : 'not '}in ${where}`, data }
    if (!want) return change(`delete rule ${shown} from ${where}`, [run('-D', ...rule)], ruleEffects(bin, p.table, chainName, chain, key, false))
    const commands: Command[] = []
    let after = chain
    if (!chain.exists && p.chain_management) {
      commands.push(run('-N'))
      after = { exists: true, known: [] }
    }
    const insert = p.action === 'insert'
    commands.push(insert ? run('-I', ...(p.rule_num ? [p.rule_num] : []), ...rule) : run('-A', ...rule))
    return change(`${insert ? 'insert' : 'append'} rule ${shown} in ${where}`, commands, ruleEffects(bin, p.table, chainName, after, key, true))
  },
})

const chainEffect = (bin: string, table: string, chain: string, value: ChainState): FactEffect => ({
  fact: iptablesChain.name,
  key: chainKey(bin, table, chain),
  value,
})

/** After a rule is added or deleted: the chain's known rule list, else the rule's own read. */
function ruleEffects(bin: string, table: string, chain: string, state: ChainState, key: string, present: boolean): FactEffect[] {
  if (state.known) {
    const known = present ? [...state.known, key] : state.known.filter((k) => k !== key)
    return [chainEffect(bin, table, chain, { ...state, known })]
  }
  const value: RuleState = { chain: { ...state, exists: true }, present }
  return [{ fact: iptablesRule.name, key, value }]
}

/** The chain as an earlier task of this check run leaves it, else as the host has it. */
async function chainState(ctx: ModuleContext, bin: string, table: string, chain: string): Promise<ChainState> {
  return (ctx.effect(iptablesChain.name, chainKey(bin, table, chain)) as ChainState | undefined) ?? (await ctx.fact(iptablesChain, bin, table, chain))
}

async function ruleState(ctx: ModuleContext, bin: string, table: string, chain: string, rule: string[]): Promise<RuleState> {
  const earlier = ctx.effect(iptablesChain.name, chainKey(bin, table, chain)) as ChainState | undefined
  if (earlier?.known) return { chain: earlier, present: earlier.known.includes(ruleKey(bin, table, chain, rule)) }
  const read = await ctx.fact(iptablesRule, bin, table, chain, rule)
  return earlier ? { ...read, chain: earlier } : read
}
