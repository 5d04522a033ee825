/**
 * debconf: pre-seed (or just read) a package's debconf answers with debconf-set-selections. Booleans
 * compare case-insensitively, multiselect answers as sets, passwords by a digest of the stored value
 * (the way newer Ansible compares them through debconf-get-selections; a password never shows in
 * output, diffs or the registered result).
 *
 * Effects recorded: debconf.selections (key: the package) and debconf.password with the new answer.
 */
import { createHash } from 'node:crypto'
import { ModuleFailure } from '../engine/errors.js'
import { debconfPassword, debconfSelections } from './facts/debconf.js'
import { defineModule, type FactEffect, type Plan } from './types.js'

const VTYPES = ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'] as const
const HIDDEN = '********'
const digest = (v: string) => createHash('sha256').update(v).digest('hex')
const asSet = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .sort()
    .join(', ')

export const debconf = defineModule({
  name: 'debconf',
  aliases: ['ansible.builtin.debconf'],
  summary: 'Configure a .deb package',
  description: "Sets a debconf answer with debconf-set-selections, or (without question) reads the package's answers into `current`.",
  params: {
    name: { type: 'str', required: true, aliases: ['pkg'], description: 'Name of the package to configure.' },
    question: { type: 'str', aliases: ['selection', 'setting'], description: 'A debconf configuration setting.' },
    vtype: { type: 'str', choices: VTYPES, description: 'The type of the value supplied.' },
    value: { type: 'str', aliases: ['answer'], description: 'Value to set the configuration to (never shown when vtype is password).' },
    unseen: { type: 'bool', default: false, description: "Do not set the 'seen' flag when pre-seeding." },
  },
  requiredTogether: [['question', 'vtype', 'value']],
  returns: {
    current: "the answers afterwards: all of the package's without question, else the one set",
    previous: 'the answer before (when it changed)',
    msg: 'the output of debconf-set-selections',
  },
  examples: `
- ansible.builtin.debconf:
    name: tzdata
    question: tzdata/Areas
    vtype: select
    value: Europe
`,
  async plan(p, ctx): Promise<Plan> {
    if (!/^[a-z0-9][a-z0-9+.-]*$/.test(p.name)) throw new ModuleFailure(`name ${JSON.stringify(p.name)} is not a Debian package name`)
    if (p.question !== undefined && /\s/.test(p.question)) throw new ModuleFailure(`question ${JSON.stringify(p.question)} must not contain spaces`)
    if (p.value !== undefined && /[\n\r]/.test(p.value)) throw new ModuleFailure('value must be a single line')
    const secret = p.vtype === 'password'
    const [prev, stored] = await Promise.all([
      ctx.fact(debconfSelections, p.name),
      secret && p.question !== undefined ? ctx.fact(debconfPassword, p.name, p.question) : undefined,
    ])
    if (p.question === undefined) return { kind: 'ok', reason: `${Object.keys(prev).length} answer(s) of ${p.name}`, data: { msg: '', current: prev } }
    const q = p.question
    let value = p.value!
    if (p.vtype === 'boolean') value = value.toLowerCase() === 'true' ? 'true' : value.toLowerCase() === 'false' ? 'false' : value
    const existing = prev[q]
    const same =
      existing === undefined
        ? false
        : secret
          ? stored === digest(value)
          : p.vtype === 'boolean'
            ? existing.toLowerCase() === value.toLowerCase()
            : p.vtype === 'multiselect'
              ? asSet(existing) === asSet(value)
              : existing === value
    const shown = secret ? HIDDEN : value
    if (same) return { kind: 'ok', reason: `${p.name} ${q} is ${shown}`, data: { msg: '', current: secret ? { ...prev, [q]: HIDDEN } : prev } }

    const before = existing === undefined ? '' : secret ? HIDDEN : existing
    const line = `${p.name} ${q} ${p.vtype} ${value}`
    const effects: FactEffect[] = [{ fact: debconfSelections.name, key: p.name, value: { ...prev, [q]: secret ? '(password omitted)' : value } }]
    if (secret) effects.push({ fact: debconfPassword.name, key: `${p.name} ${q}`, value: digest(value) })
    return {
      kind: 'change',
      changes: [
        {
          summary: `${p.name} ${q} (${p.vtype}): ${existing === undefined ? 'unset' : before} -> ${shown}`,
          commands: [{ argv: ['debconf-set-selections', ...(p.unseen ? ['-u'] : [])], stdin: `${line}\n` }],
          diff: {
            path: `debconf ${p.name}`,
            before: `${JSON.stringify({ [q]: before }, null, 4)}\n`,
            after: `${JSON.stringify({ [q]: shown }, null, 4)}\n`,
          },
          effects,
        },
      ],
      data: { msg: '', current: { [q]: shown }, previous: { [q]: before } },
    }
  },
})
