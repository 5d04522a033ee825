/**
 * replace: every match of a (Python) regular expression in a file replaced, as Ansible's replace:
 * MULTILINE matching over the whole file (or the section between `after` and `before`, matched with
 * DOTALL), Python's replacement templates (\1, \g<name>). The file must exist; symlinks are
 * followed. One read; the write and its effects are files/write.ts's.
 */
import { ModuleFailure } from '../engine/errors.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { planEdit, readForEdit } from './files/edit.js'
import { pyRegex, subn } from './files/py-regex.js'
import { validateArgv } from './files/write.js'
import { defineModule, type Plan } from './types.js'

/** Ansible's pattern for the section `after`..`before` selects (matched with DOTALL); '' for the whole text. */
const sectionPattern = (after?: string, before?: string) =>
  after && before ? `${after}(?P<subsection>.*?)${before}` : after ? `${after}(?P<subsection>.*)` : before ? `(?P<subsection>.*)${before}` : ''

function section(text: string, pattern: string): { start: number; end: number } | undefined {
  if (!pattern) return { start: 0, end: text.length }
  const at = pyRegex(pattern, 'after/before', 'sd').exec(text)?.indices?.groups?.subsection
  return at ? { start: at[0], end: at[1] } : undefined
}

export const replace = defineModule({
  name: 'replace',
  summary: 'Replace all instances of a particular string in a file using a back-referenced regular expression',
  description:
    'Python regular expression semantics (re.MULTILINE: ^ and $ match at every line); `after`/`before` limit the replacement to the text ' +
    'between their matches. The file must exist. Symlinks are followed: the real file is written.',
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'], description: 'The file to modify.' },
    regexp: { type: 'str', required: true, description: 'The regular expression (Python syntax) to look for; matched across the file with MULTILINE.' },
    replace: { type: 'str', default: '', description: 'What replaces each match; may use \\1, \\g<1> and \\g<name>. Empty: the matches are removed.' },
    after: { type: 'str', description: 'Only replace after the (first) match of this regular expression.' },
    before: { type: 'str', description: 'Only replace before the (first) match of this regular expression.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
    validate: { type: 'str', description: 'Command to check the new file before it replaces path; %s is the temp file.' },
    encoding: { type: 'str', default: 'utf-8', description: 'The character encoding of the file (only utf-8 is supported).' },
    ...fileCommonParams,
  },
  returns: { msg: "'N replacements made', or '' when nothing changed", backup_file: 'the backup copy, when one was made' },
  examples: `
- replace:
    path: /etc/ssh/sshd_config
    regexp: '^#?PasswordAuthentication\\s+\\S+$'
    replace: 'PasswordAuthentication no'
- replace:
    path: /etc/hosts
    after: '# BEGIN app'
    before: '# END app'
    regexp: '^(\\S+)(\\s+)old\\.example$'
    replace: '\\1\\2new.example'
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (!/^utf-?8$/i.test(p.encoding)) throw new ModuleFailure(`encoding ${JSON.stringify(p.encoding)} is not supported yet (only utf-8)`)
    validateArgv(p.validate)
    let re: RegExp
    try {
      re = pyRegex(p.regexp, 'regexp', 'gm')
      section('', sectionPattern(p.after, p.before))
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
    const target = await readForEdit(ctx, p.path)
    if ('kind' in target) return target
    const { stat, text } = target.content
    if (!stat.exists || text === undefined) throw new ModuleFailure(`Path ${p.path} does not exist !`, { rc: 257 })
    const pattern = sectionPattern(p.after, p.before)
    const sec = section(text, pattern)
    if (!sec) {
      const msg = `Pattern for before/after params did not match the given file: ${pattern}`
      return { kind: 'ok', reason: msg, data: { msg, rc: 0 } }
    }
    const part = text.slice(sec.start, sec.end)
    const r = subn(re, p.replace, part)
    const changed = r.count > 0 && r.text !== part
    const next = changed ? text.slice(0, sec.start) + r.text + text.slice(sec.end) : text
    const plan = await planEdit(ctx, { target, text: next, want, backup: p.backup, validate: p.validate, msg: changed ? `${r.count} replacements made` : '' })
    if (plan.kind === 'ok') {
      const why = r.count === 0 ? `no match of ${JSON.stringify(p.regexp)}` : `all ${r.count} matches of ${JSON.stringify(p.regexp)} are already replaced`
      return { ...plan, reason: `${why}; ${plan.reason}`, data: { msg: '', rc: 0 } }
    }
    return { ...plan, data: { ...plan.data, rc: 0 } }
  },
})
