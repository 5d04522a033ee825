/**
 * sudoers (community.general.sudoers): one rule in its own file under /etc/sudoers.d, as Ansible's
 * module writes it: the one line sudoersRule() composes, mode 0440. Changed when the file is
 * missing, its text differs or its permission bits are not 0440; the owner of an existing file is
 * kept (Ansible rewrites it in place). The rule is checked with `visudo -c -f -` first (validation:
 * detect, the default, when visudo is installed; required: it must be), on every run and in check
 * mode, as Ansible does. Through a symlink the file it points at is written. absent removes the
 * file (a symlink itself). Effects: path.stat and path.content of the file (files/write.ts).
 */
import { posix } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { pystr, strRepr } from '../engine/vars/py-str.js'
import { PyFloat } from '../engine/vars/py-value.js'
import { pathStat } from './facts/path.js'
import { readForEdit, planEdit } from './files/edit.js'
import { parseMode } from './files/mode.js'
import { statPaths } from './files/stat.js'
import { FIND_BIN_SH } from './facts/bin-path.js'
import { defineModule, shScript, type Fact, type ModuleContext, type Plan } from './types.js'

export interface SudoersRule {
  user?: string
  group?: string
  commands: readonly string[]
  nopassword: boolean
  setenv: boolean
  host: string
  runas?: string
}

/** The file's text: "OWNER HOST=(RUNAS)NOPASSWD:SETENV: CMD, CMD\n", as Ansible's module formats it. */
export function sudoersRule(r: SudoersRule): string {
  // as Ansible: an empty user counts as none; without either the rule cannot be written
  const owner = r.user ? r.user : r.group ? `%${r.group}` : undefined
  if (owner === undefined) throw new ModuleFailure('a rule needs user or group (state=present)')
  const runas = r.runas === undefined ? '' : `(${r.runas})`
  return `${owner} ${r.host}=${runas}${r.nopassword ? 'NOPASSWD:' : ''}${r.setenv ? 'SETENV:' : ''} ${r.commands.join(', ')}\n`
}

/**
 * `commands` as Ansible's list argument takes it: a string is split at every comma and nothing is
 * trimmed ("a, b" gives "a" and " b"); numbers and booleans are Python's str() of them.
 */
export function commandList(v: unknown): string[] {
  const str = (x: unknown, at: string): string => {
    if (typeof x === 'string') return x
    if (typeof x === 'number' || typeof x === 'boolean' || x instanceof PyFloat) return pystr(x)
    throw new ModuleFailure(`argument '${at}' must be a string, got ${JSON.stringify(x)}`)
  }
  if (Array.isArray(v)) return v.map((x, i) => str(x, `commands[${i}]`))
  if (typeof v === 'string') return v.split(',')
  return [str(v, 'commands')]
}

/** os.path.join(dir, name): an absolute name stands alone. */
export function pyJoin(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

interface VisudoCheck {
  /** undefined: visudo is not installed; the value is the search path, as Ansible's message gives it */
  missing?: string
  rc: number
  stdout: string
}

// visudo where Ansible's get_bin_path looks for it
const VISUDO = `${FIND_BIN_SH}
find_bin visudo || { printf 'missing\\n%s' "$binpath"; exit 0; }
echo checked
exec "$bin" -c -f -`

/** `visudo -c -f -` of a rule's text (read-only: it checks stdin, writes nothing). */
export const visudoCheck: Fact<VisudoCheck, [string]> = {
  name: 'sudoers.visudo',
  key: (text) => text,
  command: (text) => ({ ...shScript(VISUDO), stdin: text }),
  parse(out) {
    const [head, ...rest] = out.stdout.split('\n')
    if (head === 'missing') return { missing: rest.join('\n'), rc: 0, stdout: '' }
    if (head !== 'checked') throw new Error(`visudo could not run: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return { rc: out.rc, stdout: rest.join('\n') }
  },
}

const MODE_0440 = parseMode('0440', 'mode')!

export const sudoers = defineModule({
  name: 'sudoers',
  aliases: ['community.general.sudoers'],
  summary: 'A sudoers rule in its own file under /etc/sudoers.d',
  description:
    'Writes one rule ("alice ALL=NOPASSWD: /usr/bin/systemctl restart app") to sudoers_path/name with mode 0440, checked by `visudo -c` ' +
    'before it is written (validation), or removes that file. The text is exactly what Ansible writes, so both tools agree on changes.',
  params: {
    name: { type: 'str', required: true, description: 'The rule, and the name of its file under sudoers_path.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'present writes the rule; absent removes its file.' },
    user: { type: 'str', description: 'The user the rule is for.' },
    group: { type: 'str', description: 'The group the rule is for (written %group).' },
    commands: {
      type: 'raw',
      check: (v) =>
        v === null || (typeof v === 'object' && !Array.isArray(v)) ? `argument 'commands' must be a list or a string, got ${JSON.stringify(v)}` : undefined,
      description: 'The commands allowed (a list, or a string split at commas); ALL for any command. Required for state=present.',
    },
    runas: { type: 'str', description: 'The user (or user:group) the commands run as: (runas) in the rule.' },
    nopassword: { type: 'bool', default: true, description: 'No password asked (NOPASSWD:).' },
    setenv: { type: 'bool', default: false, description: 'The caller may keep its environment (SETENV:).' },
    host: { type: 'str', default: 'ALL', description: 'The host the rule applies on.' },
    sudoers_path: { type: 'str', default: '/etc/sudoers.d', description: 'The directory of rule files (it must exist).' },
    validation: {
      type: 'str',
      default: 'detect',
      choices: ['absent', 'detect', 'required'],
      description: 'detect: checked by visudo when it is installed; required: visudo must be there; absent: not checked.',
    },
  },
  mutuallyExclusive: [['user', 'group']],
  requiredIf: [['state', 'present', ['commands']]],
  returns: {},
  examples: `
- community.general.sudoers:
    name: deploy-restart-app
    user: deploy
    commands:
      - /usr/bin/systemctl restart app
      - /usr/bin/systemctl reload app
- community.general.sudoers:
    name: monitoring
    group: monitoring
    runas: postgres
    commands: /usr/local/bin/pg-metrics
    nopassword: false
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.sudoers_path.startsWith('/') && !p.name.startsWith('/'))
      throw new ModuleFailure(`argument 'sudoers_path' must be an absolute path, got ${JSON.stringify(p.sudoers_path)}`)
    const path = pyJoin(p.sudoers_path, p.name)
    if (p.state === 'absent') return planAbsent(ctx, path)

    const text = sudoersRule({ ...p, commands: commandList(p.commands) })
    // check mode: visudo an earlier task installs (or replaces) is unknown until it runs: "may change"
    const visudoUnknown = p.validation !== 'absent' && ctx.unknown?.('path.stat', '/usr/sbin/visudo') !== undefined
    const [check, target] = await Promise.all([p.validation === 'absent' || visudoUnknown ? undefined : ctx.fact(visudoCheck, text), readFor(ctx, path)])
    if (check?.missing !== undefined && p.validation === 'required')
      throw new ModuleFailure(`Failed to find required executable "visudo" in paths: ${check.missing}`)
    if (check && check.missing === undefined && check.rc !== 0) throw new ModuleFailure(`Failed to validate sudoers rule:\n${check.stdout}`)
    if ('kind' in target) return target
    const { stat } = target.content
    // as Ansible, check mode does not look for the directory (an earlier task may install sudo)
    if (!ctx.check && !stat.exists && !(await ctx.fact(pathStat, posix.dirname(target.path))).exists)
      throw new ModuleFailure(`[Errno 2] No such file or directory: ${strRepr(target.path)}`)
    const plan = await planEdit(ctx, { target, text, want: { mode: MODE_0440 }, backup: false, msg: '' })
    if (plan.kind === 'ok') return { kind: 'ok', reason: `${path} holds the rule, mode 0440`, data: {} }
    if (plan.kind !== 'change') return plan
    const changes = plan.changes.map((c) => (c.upload ? { ...c, summary: `write ${path}: ${text.trimEnd()}` } : c))
    return { kind: 'change', changes, data: {} }
  },
})

/** The rule's file (through its symlinks); a directory there fails as Ansible's open() does. */
function readFor(ctx: ModuleContext, path: string) {
  return readForEdit(ctx, path).catch((e: unknown) => {
    if (e instanceof ModuleFailure && / is a directory/.test(e.message)) throw new ModuleFailure(`[Errno 21] Is a directory: ${strRepr(path)}`)
    throw e
  })
}

async function planAbsent(ctx: ModuleContext, path: string): Promise<Plan> {
  const st = (await statPaths(ctx, [path])).get(path)
  // os.path.exists: a link counts by what it points at (a dangling one is not there)
  const there = st.exists && (st.type !== 'link' || st.target?.exists !== false)
  if (!there) return { kind: 'ok', reason: `${path} is absent`, data: {} }
  if (st.type === 'directory') throw new ModuleFailure(`[Errno 21] Is a directory: ${strRepr(path)}`)
  return {
    kind: 'change',
    changes: [
      {
        summary: `remove ${path}`,
        commands: [{ argv: ['rm', '-f', '--', path] }],
        diff: { path, before: '', after: '', attrs: { state: [st.type ?? 'file', 'absent'] } },
        effects: [{ fact: 'path.stat', key: path, value: { exists: false } }],
      },
    ],
    data: {},
  }
}
