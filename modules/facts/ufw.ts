/**
 * ufw as its files and `ufw status verbose` say, in ONE command: active or not, ufw.conf (ENABLED,
 * LOGLEVEL), the default policies (/etc/default/ufw) and the rule tuples of user.rules and
 * user6.rules (the `### tuple ###` lines ufw keeps its rules as, which Ansible compares too). And a
 * rule's `ufw --dry-run`: the tuples ufw would leave, beside the current ones.
 */
import { shScript, type Fact } from '../types.js'

export type Policy = 'allow' | 'deny' | 'reject'

export interface UfwState {
  /** the firewall is loaded (`Status: active`) */
  active: boolean
  /** ENABLED=yes in ufw.conf (started on boot) */
  enabled: boolean
  /** LOGLEVEL in ufw.conf: off, low, medium, high, full */
  logLevel: string
  policy: { incoming: Policy; outgoing: Policy; routed: Policy }
  v4: string[]
  v6: string[]
  /** `ufw status verbose`, for the msg Ansible returns */
  status: string
}

const TUPLES = `echo @@v4; grep -sh '^### tuple' /lib/ufw/user.rules /etc/ufw/user.rules /var/lib/ufw/user.rules
echo @@v6; grep -sh '^### tuple' /lib/ufw/user6.rules /etc/ufw/user6.rules /var/lib/ufw/user6.rules
true`

const STATE = `command -v ufw >/dev/null || { echo 'ufw is not installed (apt package ufw)' >&2; exit 3; }
LANG=C LC_ALL=C ufw status verbose || exit
echo @@conf; cat /etc/ufw/ufw.conf 2>/dev/null
echo @@default; cat /etc/default/ufw 2>/dev/null
${TUPLES}`

/** Splits `@@name` sections. */
function sections(stdout: string): Record<string, string> {
  const out: Record<string, string> = {}
  let cur = ''
  for (const line of stdout.split('\n')) {
    const m = /^@@(\w+)$/.exec(line)
    if (m) cur = m[1]!
    else out[cur] = `${out[cur] ?? ''}${line}\n`
  }
  return out
}

/** KEY=value / KEY="value" lines of a shell-style config. */
function shellVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_0-9]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line)
    if (m) vars[m[1]!] = m[2]!
  }
  return vars
}

const POLICY: Record<string, Policy> = { ACCEPT: 'allow', DROP: 'deny', REJECT: 'reject' }
const tuples = (text = '') => text.split('\n').filter((l) => l.startsWith('### tuple'))

export const ufwState: Fact<UfwState> = {
  name: 'ufw.state',
  command: () => shScript(STATE),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot read the ufw state: ${(out.stderr || out.stdout).trim() || `exit ${out.rc}`}`)
    const s = sections(out.stdout)
    const conf = shellVars(s.conf ?? '')
    const def = shellVars(s.default ?? '')
    return {
      active: /^Status: active$/m.test(s[''] ?? ''),
      enabled: conf.ENABLED === 'yes',
      logLevel: conf.LOGLEVEL ?? 'low',
      policy: {
        incoming: POLICY[def.DEFAULT_INPUT_POLICY ?? ''] ?? 'deny',
        outgoing: POLICY[def.DEFAULT_OUTPUT_POLICY ?? ''] ?? 'allow',
        routed: POLICY[def.DEFAULT_FORWARD_POLICY ?? ''] ?? 'deny',
      },
      v4: tuples(s.v4),
      v6: tuples(s.v6),
      status: (s[''] ?? '').replace(/\s+$/, ''),
    }
  },
}

export interface UfwDryRun {
  /** the tuples of each rules file ufw printed (a family it did not print is left as it is) */
  v4?: string[]
  v6?: string[]
  /** the current tuples, as the same command read them */
  current: { v4: string[]; v6: string[] }
}

/** ufw's dry-run output: a `*filter ... COMMIT` block per rules file; a block with ufw6- chains is IPv6. */
export function parseDryRun(stdout: string): { v4?: string[]; v6?: string[] } {
  const out: { v4?: string[]; v6?: string[] } = {}
  for (const block of stdout.split(/^\*filter$/m).slice(1)) {
    const body = block.split(/^COMMIT$/m)[0] ?? ''
    out[/^:ufw6-/m.test(body) ? 'v6' : 'v4'] = tuples(body)
  }
  return out
}

// $@: the ufw arguments after --dry-run
const DRY = `out=$(LANG=C LC_ALL=C ufw --dry-run "$@" 2>&1) || { printf '%s\\n' "$out" >&2; exit 1; }
printf '%s\\n' "$out"
${TUPLES}`

export const ufwDryRun: Fact<UfwDryRun, [string[]]> = {
  name: 'ufw.dryrun',
  command: (args) => shScript(DRY, ...args),
  parse(out, args) {
    if (out.rc !== 0) throw new Error((out.stderr || out.stdout).trim() || `ufw --dry-run ${args.join(' ')} failed (exit ${out.rc})`)
    const at = out.stdout.lastIndexOf('@@v4\n')
    const s = sections(out.stdout.slice(at))
    return { ...parseDryRun(out.stdout.slice(0, at)), current: { v4: tuples(s.v4), v6: tuples(s.v6) } }
  },
}
