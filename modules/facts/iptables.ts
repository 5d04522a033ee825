/**
 * An iptables chain and one rule, as Ansible's iptables module asks them: the chain's header from
 * `iptables -t TABLE -n -L CHAIN` (it exists; its policy, for a built-in chain) and whether the rule
 * is there by `iptables -t TABLE -C CHAIN RULE...` (iptables compares the rule, not its text). The
 * rule's read holds the chain's too, so a rule task costs one round trip.
 *
 * `known`: never read from a host. An earlier task of a check run that flushed, created or deleted
 * the chain knows every rule it has afterwards (effects, modules/iptables.ts).
 */
import { shScript, type Fact } from '../types.js'
import { FIND_BIN_SH } from './bin-path.js'

export interface ChainState {
  exists: boolean
  /** ACCEPT, DROP, ... for a built-in chain; none for a user-defined one */
  policy?: string
  /** check mode: the chain's complete rules (their keys) after an earlier flush, creation or deletion */
  known?: string[]
}

export interface RuleState {
  chain: ChainState
  present: boolean
}

const FIND = `${FIND_BIN_SH}
need_bin "$1"
b=$bin`

// $1 program, $2 table, $3 chain
const CHAIN = `${FIND}
out=$(LC_ALL=C "$b" -t "$2" -n -L "$3" 2>&1); printf 'chain %s\\n' $?; printf '%s\\n' "$out" | head -n 1`

// then the rule's words
const RULE = `${FIND}
t=$2; c=$3; shift 3
LC_ALL=C "$b" -t "$t" -C "$c" "$@" >/dev/null 2>&1; printf 'rule %s\\n' $?
out=$(LC_ALL=C "$b" -t "$t" -n -L "$c" 2>&1); printf 'chain %s\\n' $?; printf '%s\\n' "$out" | head -n 1`

export const chainKey = (bin: string, table: string, chain: string) => `${bin} ${table} ${chain}`
export const ruleKey = (bin: string, table: string, chain: string, rule: readonly string[]) => `${chainKey(bin, table, chain)} ${JSON.stringify(rule)}`

function parseChain(stdout: string): ChainState {
  const m = /^chain (\d+)\n(.*)/m.exec(stdout)
  if (!m) throw new Error(`unexpected output: ${stdout.slice(0, 200)}`)
  const exists = m[1] === '0'
  const policy = exists ? /\(policy ([A-Z]+)\)/.exec(m[2] ?? '')?.[1] : undefined
  return policy ? { exists, policy } : { exists }
}

export const iptablesChain: Fact<ChainState, [bin: string, table: string, chain: string]> = {
  name: 'iptables.chain',
  key: chainKey,
  command: (bin, table, chain) => shScript(CHAIN, bin, table, chain),
  parse(out) {
    if (out.rc !== 0) throw new Error(out.stderr.trim() || `exit code ${out.rc}`)
    return parseChain(out.stdout)
  },
}

export const iptablesRule: Fact<RuleState, [bin: string, table: string, chain: string, rule: string[]]> = {
  name: 'iptables.rule',
  key: ruleKey,
  command: (bin, table, chain, rule) => shScript(RULE, bin, table, chain, ...rule),
  parse(out) {
    if (out.rc !== 0) throw new Error(out.stderr.trim() || `exit code ${out.rc}`)
    const m = /^rule (\d+)$/m.exec(out.stdout)
    if (!m) throw new Error(`unexpected output: ${out.stdout.slice(0, 200)}`)
    return { present: m[1] === '0', chain: parseChain(out.stdout) }
  },
}
