/** `acplay doc` output for a terminal: the module list, and one module's page (as ansible-doc prints). */
import { ACTION_SUMMARY, ENGINE_ACTIONS } from '../actions/names.js'
import type { ModuleSpec } from '../../modules/types.js'
import { moduleDoc, sortedModules, type ModuleDoc } from './model.js'

/** One line per module: name, summary, and where a custom one comes from. */
export function moduleListText(registry: Record<string, ModuleSpec>): string {
  const specs = sortedModules(registry)
  const width = Math.max(...specs.map((s) => s.name.length), ...ENGINE_ACTIONS.map((a) => a.length)) + 2
  const actions = ENGINE_ACTIONS.map((a) => `${a.padEnd(width)}${ACTION_SUMMARY[a]}  [engine action]`)
  return `${[...specs.map((s) => `${s.name.padEnd(width)}${s.summary}${s.file ? `  [custom: ${s.file}]` : ''}`), ...actions].join('\n')}\n`
}

export function moduleText(spec: ModuleSpec): string {
  const d = moduleDoc(spec)
  const out: string[] = [`> ${d.name.toUpperCase()}    (${d.file ?? 'built-in'})`, '', indent(d.summary, 2)]
  if (d.description) out.push('', indent(d.description, 2))
  if (d.aliases.length) out.push('', `ALIASES: ${d.aliases.join(', ')}`)
  out.push('', 'OPTIONS (= is mandatory):')
  if (d.params.length === 0) out.push('', '  (none)')
  for (const p of d.params) {
    out.push('', `${p.required ? '=' : '-'} ${p.name}`, indent(p.description || '(no description)', 8))
    if (p.aliases) out.push(`        aliases: [${p.aliases.join(', ')}]`)
    if (p.choices) out.push(`        choices: [${p.choices.join(', ')}]`)
    if (p.default !== undefined) out.push(`        default: ${p.default}`)
    if (p.secret) out.push('        secret: never printed')
    out.push(`        type: ${p.type}`)
  }
  out.push(...constraints(d))
  out.push('', `CHECK MODE: ${CHECK_MODE_TEXT[d.checkMode]}`)
  out.push(`DIFF: ${d.diff ? 'supported (--diff shows what the plan changes)' : 'not supported'}`)
  if (d.returns.length) {
    out.push('', 'RETURN VALUES:')
    for (const r of d.returns) out.push(`- ${r.name}`, indent(r.description, 8))
  }
  if (d.examples) out.push('', 'EXAMPLES:', '', d.examples)
  return `${out.join('\n')}\n`
}

function constraints(d: ModuleDoc): string[] {
  const out: string[] = []
  for (const rule of d.rules) out.push(`  ${rule}`)
  return out.length ? ['', 'CONSTRAINTS:', ...out] : []
}

/** Wraps at ~88 columns, keeping the author's line breaks. */
function indent(text: string, n: number): string {
  const pad = ' '.repeat(n)
  return text
    .split('\n')
    .flatMap((line) => wrap(line, 88 - n))
    .map((l) => (l ? pad + l : ''))
    .join('\n')
}

function wrap(line: string, width: number): string[] {
  const words = line.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let cur = ''
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur)
      cur = w
    } else cur = cur ? `${cur} ${w}` : w
  }
  lines.push(cur)
  return lines
}

const CHECK_MODE_TEXT = {
  full: 'supported (the plan is reported, nothing is applied)',
  skip: 'skipped when the task would change (like Ansible command)',
  none: 'not supported: the task is skipped in check mode (as in Ansible)',
} as const
