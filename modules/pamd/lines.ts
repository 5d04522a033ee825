/**
 * A PAM service file (pam.d(5)) as community.general.pamd reads and writes it: comment, `@include`
 * and blank lines are kept as they are; a rule is parsed into type, control, module path and
 * arguments, and written back in Ansible's layout (the type padded to 11 columns, then single
 * spaces), so a file pamd changed is byte for byte what Ansible leaves.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pySplitlines } from '../pytext.js'

export const RULE_TYPES = ['account', '-account', 'auth', '-auth', 'password', '-password', 'session', '-session'] as const

export interface PamRule {
  kind: 'rule'
  type: string
  /** as Ansible normalizes it: a bracketed control without ' = ' spacing, single-spaced inside */
  control: string
  path: string
  args: string[]
}

/** A line pamd keeps as written. */
export interface PamText {
  kind: 'comment' | 'include' | 'empty'
  text: string
}

export type PamLine = PamRule | PamText

// Ansible searches (not anchors) this pattern in a line: a type, a control (bracketed, or a word),
// the module path, then the arguments
const RULE = /(-?(?:auth|account|session|password))\s+(\[.*\]|\S*)\s+(\S*)\s*(.*)\s*/
// one argument: a bracketed value (to the last ']' of the text) or a run of non-space
const ARG = /\[.*\]|\S*/g

/** Arguments as Ansible splits them: each string cut at whitespace, a `[...]` value kept whole. */
export function parseArgs(values: readonly string[]): string[] {
  return values.flatMap((v) => [...v.matchAll(ARG)].map((m) => m[0]).filter((a) => a !== ''))
}

/** A control as Ansible stores it: `[a = b  c=d]` -> `[a=b  c=d]` minus any inner brackets; a plain word as is. */
export function normalizeControl(control: string): string {
  if (!control.startsWith('[')) return control
  return `[${control.replaceAll(' = ', '=').replace(/[[\]]/g, '')}]`
}

export function makeRule(type: string, control: string, path: string, args: readonly string[]): PamRule {
  return { kind: 'rule', type, control: normalizeControl(control), path, args: parseArgs(args) }
}

/** The file's lines; `file` names it in the failure for a line that is no rule (Ansible crashes there). */
export function parseService(content: string, file: string): PamLine[] {
  return pySplitlines(content).map((text, i): PamLine => {
    const start = text.trimStart()
    if (start.startsWith('#')) return { kind: 'comment', text }
    if (start.startsWith('@include')) return { kind: 'include', text }
    if (text.trim() === '') return { kind: 'empty', text }
    const m = RULE.exec(text)
    if (!m) throw new ModuleFailure(`${file} line ${i + 1} is not a PAM rule (type control module-path [arguments]): ${JSON.stringify(text)}`)
    return makeRule(m[1]!, m[2]!, m[3]!, [m[4]!])
  })
}

export function ruleMatches(line: PamLine, type: string, control: string, path: string): boolean {
  return line.kind === 'rule' && line.type === type && line.control === control && line.path === path
}

export function renderLine(line: PamLine): string {
  if (line.kind !== 'rule') return line.text
  const head = `${line.type.padEnd(11)}${line.control} ${line.path}`
  return line.args.length ? `${head} ${line.args.join(' ')}` : head
}

const MARK = '# Updated by Ansible'

/**
 * The new file: every line rendered, and Ansible's mark `# Updated by Ansible - TIME` as the second
 * line (replacing an earlier mark there); a file of one line gets a blank line before it.
 */
export function renderService(lines: readonly PamLine[], stamp: string): string {
  const out = lines.map(renderLine)
  const mark = `${MARK} - ${stamp}`
  if (out.length <= 1) out.unshift('', mark)
  else if (out[1]!.startsWith(MARK)) out[1] = mark
  else out.splice(1, 0, mark)
  return `${out.join('\n')}\n`
}

/** Python's datetime.now().isoformat() for `epochMs` (fractional ms kept as microseconds), in the local time zone. */
export function isoStamp(epochMs: number): string {
  const d = new Date(Math.floor(epochMs))
  const us = Math.floor(epochMs * 1000) % 1_000_000
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const date = `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
  const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  return `${date}T${time}${us ? `.${p(us, 6)}` : ''}`
}

const SIMPLE_CONTROLS = new Set(['required', 'requisite', 'sufficient', 'optional', 'include', 'substack', 'definitive'])
const CONTROL_VALUES = new Set(
  (
    'success open_err symbol_err service_err system_err buf_err perm_denied auth_err cred_insufficient authinfo_unavail ' +
    'user_unknown maxtries new_authtok_reqd acct_expired session_err cred_unavail cred_expired cred_err no_module_data ' +
    'conv_err authtok_err authtok_recover_err authtok_lock_busy authtok_disable_aging try_again ignore abort ' +
    'authtok_expired module_unknown bad_item conv_again incomplete default'
  ).split(' '),
)
const CONTROL_ACTIONS = new Set(['ignore', 'bad', 'die', 'ok', 'done', 'reset'])
// Python's int() of an action jump (`success=2`): digits, underscores between them, spaces around
const UNSIGNED = /^\s*\+?\d+(?:_\d+)*\s*$|^\s*-0+\s*$/

/** Ansible's check of the whole file after the edit: the first line it refuses, in its words, or undefined. */
export function invalidLine(lines: readonly PamLine[]): string | undefined {
  for (const line of lines) {
    if (line.kind === 'comment' && !line.text.startsWith('#')) return `Rule is not valid ${line.text}`
    if (line.kind === 'include' && !line.text.startsWith('@include')) return `Rule is not valid ${line.text}`
    if (line.kind !== 'rule') continue
    const text = renderLine(line)
    if (!(RULE_TYPES as readonly string[]).includes(line.type)) return `Rule type, ${line.type}, is not valid in rule ${text}`
    if (!line.control.startsWith('[')) {
      if (!SIMPLE_CONTROLS.has(line.control)) return `Rule control, ${line.control}, is not valid in rule ${text}`
      continue
    }
    for (const item of line.control.slice(1, -1).split(' ')) {
      const parts = item.split('=')
      // Ansible fails here with a ValueError (not value=action)
      if (parts.length !== 2) return `Rule control, ${item}, is not value=action in rule ${text}`
      const [value, action] = parts as [string, string]
      if (!CONTROL_VALUES.has(value)) return `Rule control value, ${value}, is not valid in rule ${text}`
      if (!CONTROL_ACTIONS.has(action) && !UNSIGNED.test(action)) return `Rule control action, ${action}, is not valid in rule ${text}`
    }
  }
  return undefined
}
