/** docs/modules.md: the module reference in Markdown, generated from the specs (scripts/gen-module-docs.ts). */
import { ACTION_ARGS, ACTION_SUMMARY, ENGINE_ACTIONS } from '../actions/names.js'
import type { ModuleSpec } from '../../modules/types.js'
import { moduleDoc, sortedModules, type ModuleDoc } from './model.js'

const HEADER = `# Module reference

<!-- Generated from the modules' specs by \`npm run docs\` (scripts/gen-module-docs.ts). Do not edit:
     a test fails when this file differs from the generated output. -->

The same text, for the modules a playbook can use (custom ones included), is printed by
\`acplay doc\` (the list) and \`acplay doc NAME\` (one module).

An argument of type \`path\` (and each element of a \`list of path\`) on the host is expanded there as
Ansible's type='path' check expands it: \`$VAR\` and \`\${VAR}\` from the task's environment, then a
leading \`~\` from HOME and \`~user\` from the password database (an unknown name stays as written).
copy's and template's \`dest\` and fetch's \`src\` take \`~\` from the password database, as Ansible's
action plugins do. Paths on the controller (template's \`src\`, a \`src\` without \`remote_src\`) are
not expanded on the host.
`

export function modulesMarkdown(registry: Record<string, ModuleSpec>): string {
  const docs = sortedModules(registry).map(moduleDoc)
  const index = ['| Module | Summary |', '| --- | --- |', ...docs.map((d) => `| [${d.name}](#${d.name}) | ${cell(d.summary)} |`)]
  return `${[HEADER, ...index, '', ...docs.flatMap(section), ...actionsSection()]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

function section(d: ModuleDoc): string[] {
  const out = ['', `## ${d.name}`, '', d.summary]
  if (d.description) out.push('', d.description)
  if (d.aliases.length) out.push('', `Also answers to: ${d.aliases.map((a) => `\`${a}\``).join(', ')}.`)
  out.push('', '| Argument | Type | Required | Default | Choices | Aliases | Description |', '| --- | --- | --- | --- | --- | --- | --- |')
  for (const p of d.params) {
    const desc = p.secret ? `${p.description} (secret: never printed)` : p.description
    const dflt = p.default === undefined ? '' : `\`${cell(p.default)}\``
    const cells = [`\`${p.name}\``, p.type, p.required ? 'yes' : '', dflt, (p.choices ?? []).map(cell).join(', '), (p.aliases ?? []).join(', '), cell(desc)]
    out.push(`| ${cells.join(' | ')} |`)
  }
  for (const rule of d.rules) out.push('', `${rule[0]!.toUpperCase()}${rule.slice(1)}.`)
  const check = { full: 'supported', skip: 'skipped when the task would change', none: 'not supported (skipped, as in Ansible)' }[d.checkMode]
  out.push('', `Check mode: ${check}. Diff: ${d.diff ? 'supported' : 'not supported'}.`)
  if (d.returns.length) out.push('', 'Returns:', '', ...d.returns.map((r) => `- \`${r.name}\`: ${r.description}`))
  if (d.examples) out.push('', '```yaml', d.examples, '```')
  return out
}

/** The engine's own actions: they act on variables, the inventory or the run, not through a module plan. */
function actionsSection(): string[] {
  const rows = ENGINE_ACTIONS.map((a) => `| \`${a}\` | ${(ACTION_ARGS[a] ?? ['(any)']).join(', ')} | ${cell(ACTION_SUMMARY[a])} |`)
  return [
    '',
    '## Engine actions',
    '',
    'Also answer to `ansible.builtin.NAME` and `ansible.legacy.NAME`.',
    '',
    '| Action | Arguments | What it does |',
    '| --- | --- | --- |',
    ...rows,
  ]
}

/** Table cells: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
