/**
 * ufw (community.general.ufw): rules, default policies, logging and the firewall's state. A rule is
 * planned from `ufw --dry-run` (ufw itself says which tuples it would leave, as Ansible's check mode
 * compares); policies and logging from ufw's config files, so a change while ufw is inactive is seen
 * too. Runs the same ufw commands as Ansible, in its order: state, default, rule, logging.
 *
 * Effects recorded: ufw.state = the state afterwards (tuples, policies, logging, active). In check
 * mode a rule planned after an earlier ufw change applies what its dry-run adds and removes to that
 * state (for a delete, the tuples come from the dry-run of adding the rule).
 */
import { ModuleFailure } from '../engine/errors.js'
import { ufwDryRun, ufwState, type Policy, type UfwDryRun, type UfwState } from './facts/ufw.js'
import { defineModule, factKey, shScript, type Change, type ModuleContext, type Plan } from './types.js'

const STATUS_MARK = '@@acplay-ufw-status'
const SHOW_STATUS = shScript(`printf '\\n%s\\n' "$1"; LANG=C LC_ALL=C ufw status verbose`, STATUS_MARK)
const ufw = (...args: string[]) => ({ argv: ['ufw', ...args] })

type Fam = 'v4' | 'v6'
const FAMS: Fam[] = ['v4', 'v6']
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i])
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x))

/** Ansible's numbered-rule arithmetic for insert_relative_to (rule numbers from the active firewall's v4 then v6 rules). */
export function insertPosition(insert: number, relativeTo: string, s: UfwState): number | undefined {
  if (relativeTo === 'zero') return insert
  const lines = s.active ? [...s.v4.map(() => false), ...s.v6.map(() => true)] : []
  const last = lines.length
  const lastV4 = lines.lastIndexOf(false) + 1
  const hasV4 = lastV4 > 0
  const hasV6 = lines.includes(true)
  const base =
    relativeTo === 'first-ipv4'
      ? 1
      : relativeTo === 'last-ipv4'
        ? hasV4
          ? lastV4
          : 1
        : relativeTo === 'first-ipv6'
          ? hasV4
            ? lastV4 + 1
            : 1
          : hasV6
            ? last
            : last + 1
  const at = insert + base
  return at > last ? undefined : at
}

const SAFE = /^[^\s'"\\]+$/

export const ufwModule = defineModule({
  name: 'ufw',
  aliases: ['community.general.ufw'],
  summary: 'Manage firewall with UFW',
  description:
    'Adds or deletes rules (planned with `ufw --dry-run`), sets default policies and logging, and enables, disables, reloads ' +
    'or resets the firewall. Keep a rule that allows your SSH port before enabling it with an incoming policy of deny. ' +
    '`logging` on an inactive firewall is a change even at the level set (as Ansible counts it); a `default` policy already ' +
    'set runs nothing (Ansible runs `ufw default`, which rewrites its line of /etc/default/ufw quoted).',
  params: {
    state: {
      type: 'str',
      choices: ['disabled', 'enabled', 'reloaded', 'reset'],
      description: 'enabled loads the firewall and starts it on boot; reloaded and reset always act.',
    },
    default: { type: 'str', aliases: ['policy'], choices: ['allow', 'deny', 'reject'], description: 'Default policy for direction (incoming when not given).' },
    logging: { type: 'str', choices: ['on', 'off', 'low', 'medium', 'high', 'full'], description: 'Logging level (on keeps a set level, or low).' },
    direction: {
      type: 'str',
      choices: ['in', 'incoming', 'out', 'outgoing', 'routed'],
      description: 'Direction of a rule (in, out) or a default policy (incoming, outgoing, routed).',
    },
    delete: { type: 'bool', default: false, description: 'Delete the rule.' },
    route: { type: 'bool', default: false, description: 'A rule for routed (forwarded) packets.' },
    insert: { type: 'int', description: 'Insert the rule as rule number NUM (ignored with delete).' },
    insert_relative_to: {
      type: 'str',
      default: 'zero',
      choices: ['first-ipv4', 'first-ipv6', 'last-ipv4', 'last-ipv6', 'zero'],
      description: 'Read insert relative to this position.',
    },
    rule: { type: 'str', choices: ['allow', 'deny', 'limit', 'reject'], description: 'Add (or, with delete, remove) a rule.' },
    interface: { type: 'str', aliases: ['if'], description: 'Interface of the rule (with direction).' },
    interface_in: { type: 'str', aliases: ['if_in'], description: 'Input interface (routed rules may give both).' },
    interface_out: { type: 'str', aliases: ['if_out'], description: 'Output interface (routed rules may give both).' },
    log: { type: 'bool', default: false, description: 'Log new connections matched by the rule.' },
    from_ip: { type: 'str', default: 'any', aliases: ['from', 'src'], description: 'Source address.' },
    from_port: { type: 'str', description: 'Source port.' },
    to_ip: { type: 'str', default: 'any', aliases: ['dest', 'to'], description: 'Destination address.' },
    to_port: { type: 'str', aliases: ['port'], description: 'Destination port (a number, a range 60000:61000, a list 80,443 or a service name).' },
    proto: { type: 'str', aliases: ['protocol'], choices: ['ah', 'any', 'esp', 'ipv6', 'tcp', 'udp', 'gre', 'igmp'], description: 'Protocol.' },
    name: { type: 'str', aliases: ['app'], description: 'An application profile from /etc/ufw/applications.d.' },
    comment: { type: 'str', description: 'A comment on the rule.' },
  },
  mutuallyExclusive: [
    ['name', 'proto', 'logging'],
    ['direction', 'interface_in'],
    ['direction', 'interface_out'],
  ],
  requiredOneOf: [['state', 'default', 'rule', 'logging']],
  requiredBy: { interface: ['direction'] },
  returns: { commands: 'the ufw commands run (or, in check mode, that would run)', msg: '`ufw status verbose` afterwards' },
  examples: `
- community.general.ufw: { rule: allow, port: "22", proto: tcp }
- ufw: { state: enabled, policy: deny }
- ufw: { rule: allow, src: 10.0.0.0/8 }
- ufw: { logging: "on" }
`,
  async plan(p, ctx): Promise<Plan> {
    for (const k of ['from_ip', 'to_ip', 'from_port', 'to_port', 'interface', 'interface_in', 'interface_out'] as const) {
      const v = p[k]
      if (v !== undefined && !SAFE.test(v)) throw new ModuleFailure(`${k} must be one word without quotes or backslashes, got ${JSON.stringify(v)}`)
    }
    for (const k of ['name', 'comment'] as const)
      if (p[k] !== undefined && /['\n\r]/.test(p[k]!)) throw new ModuleFailure(`${k} must not contain quotes or newlines`)
    if (p.default && !['outgoing', 'incoming', 'routed', undefined].includes(p.direction))
      throw new ModuleFailure('For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.')
    if (p.rule && !['in', 'out', undefined].includes(p.direction))
      throw new ModuleFailure('For rules, direction must be one of "in" and "out", or direction must not be specified.')
    if (p.rule && !p.route && p.interface_in && p.interface_out) throw new ModuleFailure('Only route rules can combine interface_in and interface_out')

    const real = await ctx.fact(ufwState)
    // a state an earlier ufw task of this check run would leave
    const earlier = ctx.effect(ufwState.name, factKey(ufwState, [])) as UfwState | undefined
    let s: UfwState = structuredClone(real)
    const changes: Change[] = []
    const commands: string[] = []
    const act = (summary: string, args: string[], next: Partial<UfwState>) => {
      commands.push(['ufw', ...args].join(' '))
      changes.push({ summary, commands: [ufw(...args)] })
      s = { ...s, ...next }
    }
    const notes: string[] = []
    // an inactive firewall's `ufw status verbose` has no Logging line: Ansible's logging is then a change
    const activeBefore = s.active

    if (p.state === 'enabled') {
      // as Ansible: a change when `ufw status` changes
      if (!s.active) act('enable the firewall', ['-f', 'enable'], { active: true, enabled: true })
      else notes.push('active')
    } else if (p.state === 'disabled') {
      if (s.active) act('disable the firewall', ['-f', 'disable'], { active: false, enabled: false })
      else notes.push('inactive')
    } else if (p.state === 'reloaded') act('reload the firewall', ['-f', 'reload'], {})
    else if (p.state === 'reset') act('reset the firewall to its installation defaults', ['-f', 'reset'], { active: false, enabled: false, v4: [], v6: [] })

    if (p.default) {
      const dir = (p.direction ?? 'incoming') as 'incoming' | 'outgoing' | 'routed'
      const args = ['default', p.default, ...(p.direction ? [p.direction] : [])]
      if (s.policy[dir] !== p.default)
        act(`default ${dir} policy ${s.policy[dir]} -> ${p.default}`, args, { policy: { ...s.policy, [dir]: p.default as Policy } })
      else notes.push(`default ${dir} policy ${p.default}`)
    }

    if (p.rule) {
      const insertAt = p.insert !== undefined && !p.delete ? insertPosition(p.insert, p.insert_relative_to, s) : undefined
      const ruleArgs = (del: boolean, at?: number) => [
        ...(p.route ? ['route'] : []),
        ...(del ? ['delete'] : []),
        ...(at !== undefined ? ['insert', String(at)] : []),
        p.rule!,
        ...(p.direction ? [p.direction] : []),
        ...(p.interface ? ['on', p.interface] : []),
        ...(p.interface_in ? ['in', 'on', p.interface_in] : []),
        ...(p.interface_out ? ['out', 'on', p.interface_out] : []),
        ...(p.log ? ['log'] : []),
        'from',
        p.from_ip,
        ...(p.from_port ? ['port', p.from_port] : []),
        'to',
        p.to_ip,
        ...(p.to_port ? ['port', p.to_port] : []),
        ...(p.proto ? ['proto', p.proto] : []),
        ...(p.name ? ['app', p.name] : []),
        ...(p.comment ? ['comment', p.comment] : []),
      ]
      const args = ruleArgs(p.delete, insertAt)
      const dry = await dryRun(ctx, args)
      const next = { v4: s.v4, v6: s.v6 }
      for (const f of FAMS) {
        const printed = dry[f]
        if (!earlier) {
          if (printed) next[f] = printed
          continue
        }
        // planned on top of an earlier change: what this command adds and removes on the host as it is
        // (a delete of a rule only planned prints nothing on the host: it removes what adding it adds)
        let removed = printed ? minus(dry.current[f], printed) : []
        const added = printed ? minus(printed, dry.current[f]) : []
        if (p.delete && removed.length === 0) {
          const add = await dryRun(ctx, ruleArgs(false))
          removed = minus(add[f] ?? [], add.current[f])
        }
        next[f] = [...minus(s[f], removed), ...minus(added, s[f])]
      }
      const what = `${p.delete ? 'delete' : 'add'} rule: ${args.join(' ')}`
      if (!same(next.v4, s.v4) || !same(next.v6, s.v6)) act(what, args, next)
      else notes.push(p.delete ? `no rule ${ruleArgs(false).join(' ')}` : `rule ${ruleArgs(false).join(' ')} is there`)
    }

    if (p.logging) {
      const cur = s.logLevel
      const want = p.logging === 'on' ? (cur === 'off' ? 'low' : cur) : p.logging
      if (want !== cur) act(`logging ${cur} -> ${want}`, ['logging', p.logging], { logLevel: want })
      else if (!activeBefore) act(`logging ${want} (the firewall is inactive)`, ['logging', p.logging], {})
      else notes.push(`logging ${cur}`)
    }

    if (changes.length === 0) return { kind: 'ok', reason: `ufw: ${notes.join(', ')}`, data: { commands, msg: real.status } }
    const last = changes[changes.length - 1]!
    changes[changes.length - 1] = {
      ...last,
      commands: [...last.commands, SHOW_STATUS],
      effects: [{ fact: ufwState.name, key: factKey(ufwState, []), value: s }],
    }
    return { kind: 'change', changes, data: { commands } }
  },
  interpret(_p, out) {
    if (out.rc !== 0) return { failed: true, msg: (out.stderr.trim() || out.stdout.trim()).split('\n').slice(-20).join('\n') }
    const at = out.stdout.lastIndexOf(`${STATUS_MARK}\n`)
    return { failed: false, data: { msg: at < 0 ? '' : out.stdout.slice(at + STATUS_MARK.length + 1).replace(/\s+$/, '') } }
  },
})

async function dryRun(ctx: ModuleContext, args: string[]): Promise<UfwDryRun> {
  try {
    return await ctx.fact(ufwDryRun, args)
  } catch (e) {
    throw new ModuleFailure((e as Error).message)
  }
}
