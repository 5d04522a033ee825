/**
 * lineinfile: make sure one line is (or no line matching is) in a text file, with Ansible's exact
 * semantics (files/lines.ts). Reads stat + content in one round trip; writes atomically.
 * Effects: path.stat and path.content of the file (files/write.ts); `create` also records the
 * parent directory when it had to be made.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { attrWant, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { absent, present, type LineArgs } from './files/lines.js'
import { pyRegex } from './files/py-regex.js'
import { unknownNameFailure, unknownNames } from './files/owner-lookup.js'
import { readContent, type Stats } from './files/stat.js'
import { planWrite, validateArgv } from './files/write.js'
import { defineModule, type Change, type Plan } from './types.js'

export const lineinfile = defineModule({
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile'],
  summary: 'Ensure a particular line is in a file, or replace an existing line using a regular expression',
  description:
    'Ansible semantics: the last line matching regexp (or containing search_string) is replaced by line; without a match, line is inserted ' +
    'after the last insertafter match / before the last insertbefore match (BOF/EOF allowed), else at the end. state=absent removes every matching line.',
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'], description: 'The file to edit' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the line should be there' },
    line: { type: 'str', aliases: ['value'], description: 'The line to insert or replace with (required for present)' },
    regexp: { type: 'str', aliases: ['regex'], description: 'Regular expression (Python syntax) selecting the line to replace or remove' },
    search_string: { type: 'str', description: 'Literal string selecting the line to replace or remove' },
    insertafter: { type: 'str', description: 'Regex, or EOF: insert after the last line matching it (when regexp finds nothing)' },
    insertbefore: { type: 'str', description: 'Regex, or BOF: insert before the last line matching it (when regexp finds nothing)' },
    backrefs: { type: 'bool', default: false, description: 'Expand \\1 / \\g<name> in line from the regexp match; if nothing matches, leave the file alone' },
    firstmatch: { type: 'bool', default: false, description: 'Use the first match of regexp / insertafter / insertbefore instead of the last' },
    create: { type: 'bool', default: false, description: 'Create the file (and its directory) if it does not exist' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file' },
    validate: { type: 'str', description: 'Command to check the new file before it replaces path; %s is the temp file' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['backrefs', 'search_string'],
  ],
  // Ansible checks these in the module's code; as rules they fail at load, with file:line
  requiredIf: [
    ['state', 'present', ['line']],
    ['backrefs', true, ['regexp']],
    ['state', 'absent', ['line', 'regexp', 'search_string'], true],
  ],
  returns: {
    msg: "'line added', 'line replaced' or 'N line(s) removed'",
    found: 'state=absent: how many lines were removed',
    backup: "the backup copy, '' when none was made",
  },
  examples: `
- lineinfile:
    path: /etc/postgresql/15/main/pg_hba.conf
    regexp: '^(local\\s+all\\s+all\\s+)peer$'
    line: '\\1md5'
    backrefs: true
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (p.line?.includes('\n')) throw new ModuleFailure(`argument 'line' must be a single line (it contains a newline)`)
    validateArgv(p.validate)
    let args: LineArgs
    try {
      args = {
        line: p.line,
        searchString: p.search_string,
        insertafter: p.insertafter,
        insertbefore: p.insertbefore,
        backrefs: p.backrefs,
        firstmatch: p.firstmatch,
        regexp: p.regexp === undefined ? undefined : pyRegex(p.regexp, 'regexp'),
      }
      for (const k of ['insertafter', 'insertbefore'] as const) if (args[k] && !['EOF', 'BOF'].includes(args[k]!)) pyRegex(args[k]!, k)
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
    const c = await readContent(ctx, p.path)
    if (c === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${p.path} (depends on an earlier change)`, commands: [] }] }
    if (c.stat.type === 'directory') throw new ModuleFailure(`Path ${p.path} is a directory !`)
    if (c.stat.exists && c.stat.type !== 'file') throw new ModuleFailure(`Path ${p.path} is not a regular file (${c.stat.type})`)
    const stats: Stats = { user: c.user, group: c.group, get: (x) => (x === p.path ? c.stat : { exists: false }) }
    const what =
      p.regexp !== undefined
        ? `regexp ${JSON.stringify(p.regexp)}`
        : p.search_string !== undefined
          ? `search_string ${JSON.stringify(p.search_string)}`
          : `line ${JSON.stringify(p.line)}`
    let next: string
    let msg: string
    let data: Record<string, unknown> = {}
    const pre: Change[] = []
    if (p.state === 'absent') {
      if (!c.stat.exists) return { kind: 'ok', reason: `file not present: ${p.path}`, data: { msg: 'file not present' } }
      const r = absent(c.text!, args)
      next = r.text
      msg = r.found ? `${r.found} line(s) removed` : `no line matches ${what}`
      data = { found: r.found }
    } else {
      if (!c.stat.exists) {
        if (!p.create) throw new ModuleFailure(`Destination ${p.path} does not exist !`, { rc: 257 })
        pre.push({ summary: `ensure directory ${dirname(p.path)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(p.path)] }] })
      }
      const r = present(c.text ?? '', args)
      next = r.text
      msg = r.changed
        ? r.msg
        : p.backrefs && r.text === c.text && !matches(c.text ?? '', args)
          ? `no line matches ${what} (backrefs: file left alone)`
          : `line present in ${p.path}`
    }
    // check mode: Ansible's check_file_attrs looks the names up for an existing file, whatever its content
    const failed = c.stat.exists ? unknownNameFailure(await unknownNames(ctx, want, c.stat), p.path, c.stat) : undefined
    if (failed) throw failed
    const plan = await planWrite(
      ctx,
      {
        dest: p.path,
        content: Buffer.from(next),
        want,
        backup: p.backup,
        validate: p.validate,
        before: c.text === undefined ? undefined : Buffer.from(c.text),
      },
      stats,
    )
    // Ansible's lineinfile names its backup `backup`, '' when none was made
    const texts = ctx.diff ? { before: c.text ?? '', after: next } : undefined
    if (plan.kind === 'ok') return { kind: 'ok', reason: `${msg}; ${describe(c.stat)}`, data: { ...data, msg: '', backup: '' }, ...(texts && { texts }) }
    const changes = plan.changes.map((ch) => (ch.upload ? { ...ch, summary: `${msg} in ${p.path}` } : ch))
    // Ansible's check_file_attrs: its words after the content's message, or alone when only attributes change
    const attrsMsg = c.stat.exists && planAttrs(p.path, c.stat, want).commands.length > 0 ? 'ownership, perms or SE linux context changed' : ''
    const full = plan.changes.some((ch) => ch.upload) ? [msg, attrsMsg].filter(Boolean).join(' and ') : attrsMsg
    return { kind: 'change', changes: [...pre, ...changes], data: { ...data, msg: full, backup: plan.data?.backup_file ?? '' }, ...(texts && { texts }) }
  },
})

const describe = (st: { mode?: string; owner?: string; group?: string }) => `mode ${st.mode}, owner ${st.owner}:${st.group}`

function matches(text: string, a: LineArgs): boolean {
  return a.regexp ? text.split('\n').some((l) => a.regexp!.test(l.replace(/\r$/, ''))) : false
}
