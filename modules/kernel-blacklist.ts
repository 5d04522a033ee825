/**
 * kernel_blacklist (community.general.kernel_blacklist): a `blacklist NAME` line in a modprobe.d
 * file, as Ansible's module keeps it. A line counts when, stripped, it is `blacklist` and the name
 * apart by whitespace (comments never count); present appends `blacklist NAME`, absent drops every
 * such line. On a change the whole file is written back as Ansible writes it: each line stripped
 * of trailing whitespace and ended by "\n" (CRLF and lone CR become LF). A missing file is created
 * (mode from the umask), which is a change even when no line is added; its directory must exist.
 * Result: filename, lines, is_blacklisted, name, state; `diff` of `lines` under --diff.
 * Effects: path.stat and path.content of the file (files/write.ts).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { strRepr } from '../engine/vars/py-str.js'
import { pathStat } from './facts/path.js'
import { planEdit, readForEdit } from './files/edit.js'
import { escapeRe } from './pytext.js'
import { defineModule, type Plan } from './types.js'

// what Python's str.strip() and re's \s take for whitespace
const WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const rstrip = (s: string) => s.replace(new RegExp(`[${WS}]+$`), '')
const strip = (s: string) => rstrip(s).replace(new RegExp(`^[${WS}]+`), '')

/** The file's lines as Ansible's module reads them: universal newlines, each right-stripped. */
export function blacklistLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map(rstrip)
}

/** The lines after the edit, and whether the module is blacklisted by them. */
export function editBlacklist(lines: string[], name: string, state: 'present' | 'absent'): { lines: string[]; blacklisted: boolean } {
  const entry = new RegExp(`^blacklist[${WS}]+${escapeRe(name)}$`)
  const blocked = lines.some((l) => !strip(l).startsWith('#') && entry.test(strip(l)))
  if (state === 'present') return { lines: blocked ? lines : [...lines, `blacklist ${name}`], blacklisted: true }
  return { lines: blocked ? lines.filter((l) => !entry.test(strip(l))) : lines, blacklisted: false }
}

export const kernelBlacklist = defineModule({
  name: 'kernel_blacklist',
  aliases: ['community.general.kernel_blacklist'],
  summary: 'Blacklist kernel modules (modprobe.d)',
  description:
    'Adds `blacklist NAME` to a modprobe.d file (present) or removes every such line (absent). On a change the file is ' +
    "rewritten as Ansible's module writes it: trailing whitespace stripped from every line, LF line ends. A missing file is " +
    'created, a change even with nothing to add.',
  params: {
    name: { type: 'str', required: true, description: 'Name of the kernel module to blacklist or un-blacklist.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the module is in the blacklist.' },
    blacklist_file: { type: 'str', default: '/etc/modprobe.d/blacklist-ansible.conf', description: 'The blacklist file.' },
  },
  returns: {
    filename: 'the blacklist file',
    lines: 'its lines after the task (right-stripped)',
    is_blacklisted: 'whether the module is blacklisted now',
    name: 'the module',
    state: 'the state asked for',
  },
  examples: `
- community.general.kernel_blacklist:
    name: nouveau
    state: present
`,
  async plan(p, ctx): Promise<Plan> {
    const file = p.blacklist_file
    const asked = { filename: file, name: p.name, state: p.state }
    const fail = (error: string) =>
      new ModuleFailure(`Module failed with exception: ${error}`, {
        ...asked,
        ...(ctx.diff ? { diff: {} } : {}),
        output: { ...(ctx.diff ? { diff: {} } : {}), ...asked },
        vars: asked,
      })
    const target = await readForEdit(ctx, file).catch((e: unknown) => {
      if (e instanceof ModuleFailure && / is a directory !$/.test(e.message)) throw fail(`[Errno 21] Is a directory: ${strRepr(file)}`)
      throw e
    })
    if ('kind' in target) return target
    const { stat, text } = target.content
    if (!stat.exists && !(await ctx.fact(pathStat, dirname(file))).exists) throw fail(`[Errno 2] No such file or directory: ${strRepr(file)}`)
    const before = stat.exists ? blacklistLines(text ?? '') : []
    const edit = editBlacklist(before, p.name, p.state)
    const linesChanged = edit.lines.length !== before.length
    const data = { ...asked, is_blacklisted: edit.blacklisted, lines: edit.lines }
    const what = `${p.name} ${edit.blacklisted ? 'blacklisted' : 'not blacklisted'} in ${file}`
    if (stat.exists && !linesChanged) return { kind: 'ok', reason: what, data: { ...data, ...(ctx.diff ? { diff: {} } : {}) } }

    const newText = edit.lines.map((l) => `${l}\n`).join('')
    const plan = await planEdit(ctx, { target, text: newText, want: {}, backup: false, msg: '' })
    if (plan.kind !== 'change') return { kind: 'ok', reason: what, data }
    const json = (lines: string[]) => `${JSON.stringify({ lines }, null, 4)}\n`
    const diffData = linesChanged ? { before: { lines: before }, after: { lines: edit.lines } } : {}
    const changes = plan.changes.map((c) => {
      if (!c.upload) return c
      const summary = !stat.exists && !linesChanged ? `create ${file}` : `${p.state === 'present' ? 'add' : 'remove'} blacklist ${p.name} in ${file}`
      const diff = linesChanged ? { path: '', before: json(before), after: json(edit.lines) } : undefined
      return { ...c, summary, diff }
    })
    return { kind: 'change', changes, data: { ...data, ...(ctx.diff ? { diff: diffData } : {}) } }
  },
})
