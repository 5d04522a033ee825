/**
 * dpkg_selections: a package's dpkg selection (install, hold, deinstall, purge), as Ansible's
 * module: read with `dpkg --get-selections NAME` ("not present" when dpkg knows no such package),
 * set with `dpkg --set-selections`. Effects: dpkg.selection key=<name> -> the selection.
 */
import { defineModule, type Fact, type Plan } from './types.js'

/** The selection dpkg has for the package, or "not present". */
export const dpkgSelection: Fact<string, [string]> = {
  name: 'dpkg.selection',
  key: (name) => name,
  command: (name) => ({ argv: ['dpkg', '--get-selections', name] }),
  parse(out) {
    if (out.rc !== 0) throw new Error(`dpkg --get-selections failed: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return out.stdout.trim().split(/\s+/)[1] ?? 'not present'
  },
}

export const dpkgSelections = defineModule({
  name: 'dpkg_selections',
  aliases: ['ansible.builtin.dpkg_selections'],
  summary: "Set a package's dpkg selection (hold, install, deinstall, purge)",
  description: "`hold` keeps apt from upgrading the package; the selection of a package dpkg does not know stays 'not present' (dpkg only warns).",
  params: {
    name: { type: 'str', required: true, description: 'The package.' },
    selection: { type: 'str', required: true, choices: ['install', 'hold', 'deinstall', 'purge'], description: 'The selection to set.' },
  },
  returns: { before: "the selection before ('not present' for a package dpkg does not know)", after: 'the selection asked for' },
  examples: `
- ansible.builtin.dpkg_selections:
    name: postgresql-15
    selection: hold
`,
  async plan(p, ctx): Promise<Plan> {
    const current = await ctx.fact(dpkgSelection, p.name)
    const data = { before: current, after: p.selection }
    if (current === p.selection) return { kind: 'ok', reason: `${p.name} is on ${p.selection}`, data }
    return {
      kind: 'change',
      changes: [
        {
          summary: `dpkg selection of ${p.name}: ${current} -> ${p.selection}`,
          commands: [{ argv: ['dpkg', '--set-selections'], stdin: `${p.name} ${p.selection}\n` }],
          effects: [{ fact: dpkgSelection.name, key: p.name, value: p.selection }],
        },
      ],
      data,
    }
  },
})
