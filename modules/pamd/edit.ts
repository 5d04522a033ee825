/**
 * pamd's edits on a parsed service file, with Ansible's rules and counts (one per rule changed or
 * inserted), quirks included so files stay byte for byte what Ansible leaves:
 * - before/after look at the nearest rule or @include across comment and blank lines: when it is
 *   already the new rule (type, control, path; arguments not compared) nothing is done, else the
 *   new rule goes right next to the matched one and the comment and blank lines between are
 *   dropped; `after` the last rule drops every line after it;
 * - before a rule with only comments above it always inserts;
 * - args_present adds missing arguments (plain ones, then key=value ones) and sets the value of a
 *   key=value one in place; args_absent removes exact matches.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { makeRule, normalizeControl, parseArgs, renderLine, ruleMatches, type PamLine, type PamRule } from './lines.js'

export interface RuleRef {
  type: string
  control: string
  path: string
}

export type PamdEdit =
  | { state: 'updated'; newType?: string; newControl?: string; newPath?: string; args?: string[] }
  | { state: 'before' | 'after'; newType: string; newControl: string; newPath: string; args: string[] }
  | { state: 'args_present' | 'args_absent'; args: string[] }
  | { state: 'absent' }

/** Applies `edit` to the rules matching `ref` (in place); returns how many rules changed. */
export function applyEdit(lines: PamLine[], ref: RuleRef, edit: PamdEdit): number {
  const matched = lines.filter((l): l is PamRule => ruleMatches(l, ref.type, ref.control, ref.path))
  switch (edit.state) {
    case 'updated':
      return count(matched, (r) => update(r, edit))
    case 'before':
    case 'after': {
      const { newType, newControl, newPath } = edit
      const isNew = (l: PamLine) => ruleMatches(l, newType, newControl, newPath)
      const rule = () => makeRule(newType, newControl, newPath, edit.args)
      return count(matched, (r) => (edit.state === 'before' ? insertBefore(lines, r, isNew, rule) : insertAfter(lines, r, isNew, rule)))
    }
    case 'args_present':
      return count(matched, (r) => addArgs(r, parseArgs(edit.args)))
    case 'args_absent': {
      const gone = new Set(parseArgs(edit.args))
      return count(matched, (r) => {
        if (!r.args.some((a) => gone.has(a))) return false
        r.args = r.args.filter((a) => !gone.has(a))
        return true
      })
    }
    case 'absent':
      // Ansible's list cannot lose its last line: it fails with an AttributeError
      if (matched.length && matched.length === lines.length)
        throw new ModuleFailure('every line of the file is a rule to remove: pamd cannot write the file empty (Ansible fails here too)')
      for (const r of matched) lines.splice(lines.indexOf(r), 1)
      return matched.length
  }
}

const count = (rules: PamRule[], act: (r: PamRule) => boolean) => rules.reduce((n, r) => n + (act(r) ? 1 : 0), 0)

const isFiller = (l: PamLine) => l.kind === 'comment' || l.kind === 'empty'

function update(r: PamRule, e: Extract<PamdEdit, { state: 'updated' }>): boolean {
  let changed = false
  if (e.newType && r.type !== e.newType) [r.type, changed] = [e.newType, true]
  if (e.newControl && r.control !== e.newControl) [r.control, changed] = [normalizeControl(e.newControl), true]
  if (e.newPath && r.path !== e.newPath) [r.path, changed] = [e.newPath, true]
  if (e.args) {
    const args = parseArgs(e.args)
    if (args.length !== r.args.length || args.some((a, i) => a !== r.args[i])) [r.args, changed] = [args, true]
  }
  return changed
}

function insertBefore(lines: PamLine[], r: PamRule, isNew: (l: PamLine) => boolean, rule: () => PamRule): boolean {
  const at = lines.indexOf(r)
  let prev = at - 1
  while (prev >= 0 && isFiller(lines[prev]!)) prev--
  if (prev < 0) {
    lines.splice(at, 0, rule())
    return true
  }
  if (isNew(lines[prev]!)) return false
  lines.splice(prev + 1, at - prev - 1, rule())
  return true
}

function insertAfter(lines: PamLine[], r: PamRule, isNew: (l: PamLine) => boolean, rule: () => PamRule): boolean {
  const at = lines.indexOf(r)
  let next = at + 1
  while (next < lines.length && isFiller(lines[next]!)) next++
  if (next < lines.length && isNew(lines[next]!)) return false
  lines.splice(at + 1, next - at - 1, rule())
  return true
}

/** key=value split as Ansible does it (exactly one '=': more is its ValueError). */
function keyValue(arg: string, where: string): [string, string] {
  const parts = arg.split('=')
  if (parts.length !== 2) throw new ModuleFailure(`argument ${JSON.stringify(arg)} ${where} has more than one '=': args_present cannot handle it`)
  return parts as [string, string]
}

function splitArgs(args: readonly string[], where: string): { plain: Set<string>; pairs: Map<string, string> } {
  const plain = new Set<string>()
  const pairs = new Map<string, string>()
  for (const a of args) {
    if (a.startsWith('[')) continue
    if (a.includes('=')) pairs.set(...keyValue(a, where))
    else plain.add(a)
  }
  return { plain, pairs }
}

function addArgs(r: PamRule, wanted: readonly string[]): boolean {
  const want = splitArgs(wanted, 'in module_arguments')
  const have = splitArgs(r.args, `of the rule "${renderLine(r)}"`)
  const missing = [...[...want.plain].filter((a) => !have.plain.has(a)), ...[...want.pairs].filter(([k]) => !have.pairs.has(k)).map(([k, v]) => `${k}=${v}`)]
  let changed = missing.length > 0
  r.args = parseArgs([...r.args, ...missing])
  for (const [k, v] of want.pairs) {
    const current = have.pairs.get(k)
    if (current === undefined || current === v) continue
    r.args[r.args.indexOf(`${k}=${current}`)] = `${k}=${v}`
    changed = true
  }
  return changed
}
