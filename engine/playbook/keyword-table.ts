/**
 * Every keyword of a play, block, task or role entry, in one table: where acplay takes it, how its
 * value is read, whether Ansible templates it (and acplay yet), how a block or role passes it down
 * to the tasks inside, and, where Ansible takes it and acplay does not, what to do instead. The
 * loader (readKeywords below, used by tasks.ts, includes.ts, roles.ts, play.ts), the types
 * (types.ts) and the run scope (engine/run/scope.ts) follow it: adding a keyword, allowing it
 * somewhere else or marking it templated is one line here (and the run's use of it).
 */
import type { Node } from 'yaml'
import { bool, conditions, loopControl, loopValue, mapping, number, oneOf, percentage, seconds, serial, str, stringList, sudoOnly, tags } from './keywords.js'
import { didYouMean } from './suggest.js'
import { fail, type Entry, type Source } from '../yaml-source.js'

/**
 * Where a keyword can be: `task` a module task, `handler` one in `handlers:`, `include`
 * include_tasks / include_role, `import` import_tasks / import_role, `role` an entry of `roles:`
 * or a role's `dependencies:` (there, keys that are no keyword are the role's params).
 */
export type Site = 'play' | 'block' | 'task' | 'handler' | 'include' | 'import' | 'meta' | 'role'

/** Every entry of a task list. */
const TASKS = ['block', 'task', 'handler', 'include', 'import', 'meta'] as const
/** Keywords a role entry and every task-list entry take. */
const INHERITABLE = [...TASKS, 'role'] as const
const MODULE = ['task', 'handler'] as const
const LOOPING = ['task', 'handler', 'include'] as const

/** How the loader reads a value (keywords.ts); `loader`: the loader reads it itself; `ignored`: accepted, without effect. */
type Reader =
  | 'str'
  | 'bool'
  | 'conditions'
  | 'tags'
  | 'mapping'
  | 'stringList'
  | 'number'
  | 'loop'
  | 'loopControl'
  | 'strategy'
  | 'connection'
  | 'serial'
  | 'percentage'
  | 'seconds'
  | 'sudo'
  | 'loader'
  | 'ignored'

interface Keyword {
  /** where acplay takes it */
  on: readonly Site[]
  read: Reader
  /** the field it fills, when not its own name (with_items fills `loop`) */
  into?: string
  /**
   * Ansible templates it per host. true: acplay too, at run time (a template is kept as written
   * by the loader); 'not yet': acplay does not (a template is refused where the value is not a
   * string, and used as written where it is).
   */
  templated?: true | 'not yet'
  /**
   * How a block's or role's value reaches the tasks inside (engine/run/scope.ts): the inner value
   * wins, the lists are appended, the mappings merged. The play's become, become_user, check_mode
   * and tags are applied by engine/run/gate.ts.
   */
  inherit?: 'override' | 'append' | 'merge'
  /** where Ansible takes it and acplay does not: refused, with `advice` */
  unsupportedOn?: readonly Site[]
  advice?: string
  /** the error where it is not valid, when more useful than "'key' is not valid on ..." */
  misplaced?: string
}

const UNSUPPORTED_TASK = { on: [], read: 'ignored', unsupportedOn: TASKS } as const

export const KEYWORDS = {
  name: { on: [...TASKS, 'play'], read: 'str', templated: 'not yet' },
  when: { on: INHERITABLE, read: 'conditions', templated: true, inherit: 'append' },
  tags: { on: [...INHERITABLE, 'play'], read: 'tags', templated: 'not yet', inherit: 'append' },
  vars: { on: [...TASKS, 'play'], read: 'mapping', templated: true, inherit: 'merge' },
  become: { on: [...INHERITABLE, 'play'], read: 'bool', templated: 'not yet', inherit: 'override' },
  become_user: { on: [...INHERITABLE, 'play'], read: 'str', templated: true, inherit: 'override' },
  become_method: { on: [...TASKS, 'play'], read: 'sudo', templated: 'not yet' },
  check_mode: { on: [...INHERITABLE, 'play'], read: 'bool', templated: 'not yet', inherit: 'override' },
  environment: { on: [...INHERITABLE, 'play'], read: 'mapping', templated: true, inherit: 'merge' },
  ignore_errors: { on: INHERITABLE, read: 'bool', templated: 'not yet', inherit: 'override', unsupportedOn: ['play'] },
  diff: { on: INHERITABLE, read: 'bool', templated: 'not yet', inherit: 'override', unsupportedOn: ['play'] },
  no_log: { on: INHERITABLE, read: 'bool', templated: 'not yet', inherit: 'override', unsupportedOn: ['play'] },
  // run_once and delegate_to are taken on a block or role but not passed down yet
  run_once: { on: INHERITABLE, read: 'bool', templated: 'not yet', unsupportedOn: ['play'] },
  delegate_to: { on: INHERITABLE, read: 'str', templated: true },
  collections: { on: [...TASKS, 'play'], read: 'ignored' },
  debugger: { on: [...TASKS, 'play'], read: 'ignored' },
  throttle: { on: [...TASKS, 'play'], read: 'ignored', templated: 'not yet' },

  // a module task's (and a dynamic include's loop)
  loop: { on: LOOPING, read: 'loop', templated: true },
  with_items: { on: LOOPING, read: 'loop', into: 'loop', templated: true },
  with_list: { on: LOOPING, read: 'loop', into: 'loop', templated: true },
  with_dict: { on: LOOPING, read: 'loop', into: 'loop', templated: true },
  loop_control: { on: LOOPING, read: 'loopControl', templated: true },
  args: { on: MODULE, read: 'loader', templated: true },
  register: { on: MODULE, read: 'str' },
  notify: { on: MODULE, read: 'stringList' },
  changed_when: { on: MODULE, read: 'conditions', templated: true },
  failed_when: { on: MODULE, read: 'conditions', templated: true },
  until: { on: MODULE, read: 'conditions', templated: true },
  retries: { on: MODULE, read: 'number', templated: true },
  delay: { on: MODULE, read: 'number', templated: true },
  timeout: { on: MODULE, read: 'number', templated: true },
  listen: { on: ['handler'], read: 'stringList', misplaced: "'listen' is only valid on handlers" },
  block: { on: ['block'], read: 'loader' },
  rescue: { on: ['block'], read: 'loader' },
  always: { on: ['block'], read: 'loader' },

  // a play's
  hosts: { on: ['play'], read: 'loader', templated: 'not yet' },
  vars_files: { on: ['play'], read: 'loader', templated: true },
  gather_facts: { on: ['play'], read: 'bool', templated: 'not yet' },
  serial: { on: ['play'], read: 'serial', templated: true },
  strategy: { on: ['play'], read: 'strategy' },
  pre_tasks: { on: ['play'], read: 'loader' },
  roles: { on: ['play'], read: 'loader' },
  tasks: { on: ['play'], read: 'loader' },
  post_tasks: { on: ['play'], read: 'loader' },
  handlers: { on: ['play'], read: 'loader' },
  any_errors_fatal: { on: ['play'], read: 'bool', templated: 'not yet', unsupportedOn: ['block', 'task', 'handler'] },
  max_fail_percentage: { on: ['play'], read: 'percentage', templated: 'not yet' },
  connection: { on: ['play'], read: 'connection', templated: 'not yet', unsupportedOn: TASKS, advice: 'set ansible_connection for the host' },
  remote_user: { on: ['play'], read: 'str', templated: 'not yet', unsupportedOn: TASKS, advice: 'set ansible_user for the host' },
  module_defaults: { on: ['play'], read: 'loader', unsupportedOn: ['block', 'task', 'handler'], advice: 'set module_defaults on the play' },
  gather_subset: { on: ['play'], read: 'stringList', templated: 'not yet' },
  gather_timeout: { on: ['play'], read: 'seconds', templated: 'not yet' },
  fact_path: { on: ['play'], read: 'str', templated: 'not yet' },

  // Ansible's, not acplay's
  vars_prompt: { on: [], read: 'ignored', unsupportedOn: ['play'], advice: 'pass the values with -e (--extra-vars)' },
  force_handlers: { on: [], read: 'ignored', unsupportedOn: ['play'] },
  ignore_unreachable: { ...UNSUPPORTED_TASK, unsupportedOn: [...TASKS, 'play'] },
  port: { ...UNSUPPORTED_TASK, unsupportedOn: [...TASKS, 'play'], advice: 'set ansible_port for the host' },
  order: { on: [], read: 'ignored', unsupportedOn: ['play'] },
  async: { ...UNSUPPORTED_TASK, advice: 'a task runs to its end; start a long job as a systemd unit' },
  poll: { ...UNSUPPORTED_TASK, advice: 'a task runs to its end; start a long job as a systemd unit' },
  delegate_facts: UNSUPPORTED_TASK,
  become_exe: { ...UNSUPPORTED_TASK, advice: 'acplay becomes with sudo' },
  become_flags: { ...UNSUPPORTED_TASK, advice: 'acplay becomes with sudo -n' },
} as const satisfies Record<string, Keyword>

export type KeywordName = keyof typeof KEYWORDS
type Def<K extends KeywordName> = (typeof KEYWORDS)[K]

const table: Record<string, Keyword | undefined> = KEYWORDS

const READERS = {
  str: (src: Source, key: string, node: Node | null) => str(src, key, node),
  bool: (src: Source, key: string, node: Node | null, def: Keyword) => bool(src, key, node, def.templated === true),
  conditions: (src: Source, key: string, node: Node | null) => conditions(src, key, node),
  tags: (src: Source, _key: string, node: Node | null) => tags(src, node),
  mapping: (src: Source, key: string, node: Node | null) => mapping(src, key, node),
  stringList: (src: Source, key: string, node: Node | null) => stringList(src, key, node),
  number: (src: Source, key: string, node: Node | null) => number(src, key, node),
  loop: (src: Source, key: string, node: Node | null) => loopValue(src, key, node),
  loopControl: (src: Source, _key: string, node: Node | null) => loopControl(src, node),
  strategy: (src: Source, key: string, node: Node | null) => oneOf(src, key, node, ['linear', 'free'] as const),
  connection: (src: Source, key: string, node: Node | null) => oneOf(src, key, node, ['ssh', 'local', 'smart'] as const),
  serial: (src: Source, key: string, node: Node | null) => serial(src, key, node),
  percentage: (src: Source, key: string, node: Node | null) => percentage(src, key, node),
  seconds: (src: Source, key: string, node: Node | null) => seconds(src, key, node),
  sudo: (src: Source, key: string, node: Node | null) => sudoOnly(src, key, node),
  loader: () => undefined,
  ignored: () => undefined,
} satisfies Record<Reader, (src: Source, key: string, node: Node | null, def: Keyword) => unknown>

/** The value a keyword has once read (a templated boolean may still be a template). */
type ValueOf<D extends Keyword> = D extends { read: 'bool' }
  ? D extends { templated: true }
    ? boolean | string
    : boolean
  : ReturnType<(typeof READERS)[D['read']]>
type FieldOf<K extends KeywordName> = Def<K> extends { into: infer F extends string } ? F : K
/** Keywords with a value the loader stores, that acplay takes at `S`. */
type StoredOn<S extends Site> = {
  [K in KeywordName]: S extends Def<K>['on'][number] ? (Def<K>['read'] extends 'loader' | 'ignored' | 'sudo' ? never : K) : never
}[KeywordName]

/** The values of the keywords taken at `S`, by the field they fill: what readKeywords returns, and what types.ts builds on. */
export type KeywordValues<S extends Site> = { -readonly [K in StoredOn<S> as FieldOf<K>]?: ValueOf<Def<K>> }

/** The keywords a block or role passes down, and how (engine/run/scope.ts). */
export type Inherited = { [K in KeywordName]: Def<K> extends { inherit: string } ? K : never }[KeywordName]
export const INHERITED = Object.entries(KEYWORDS).flatMap(([k, d]) => ('inherit' in d ? [[k as Inherited, d.inherit] as const] : []))

/** Whether `key` is a keyword of some task-list entry (so not a task's action). */
export function isTaskKeyword(key: string): boolean {
  const def = table[key]
  return !!def && [...def.on, ...(def.unsupportedOn ?? [])].some((s) => (TASKS as readonly string[]).includes(s))
}

/** Every task keyword, for "did you mean" after a mistyped action. */
export const TASK_KEYWORD_NAMES = Object.keys(KEYWORDS).filter(isTaskKeyword)

const noun = (site: Site) => (site === 'play' ? 'play' : site === 'block' ? 'block' : 'task')

/** `with_<lookup>` other than the ones acplay takes: the error that says to use `loop`, or undefined. */
export function lookupLoop(src: Source, e: Entry, task?: string): Error | undefined {
  if (!/^with_/.test(e.key) || table[e.key]) return undefined
  return fail(src, e.keyNode, `'${e.key}' is not supported; use 'loop' (with a filter where needed)`, task)
}

/** The error for a key that is no keyword at `site`, or undefined if it is one (or, with `others: 'keep'`, not one of the table's). */
function refusal(src: Source, e: Entry, site: Site, what: string): Error | undefined {
  const def = table[e.key]
  if (def?.on.includes(site)) return undefined
  if (def?.unsupportedOn?.includes(site)) {
    return fail(src, e.keyNode, `${noun(site)} keyword '${e.key}' is not supported by acplay${def.advice ? `: ${def.advice}` : ''}`)
  }
  if (!def && site !== 'play') {
    const lookup = lookupLoop(src, e)
    if (lookup) return lookup
  }
  if (def?.misplaced) return fail(src, e.keyNode, def.misplaced)
  if (!def && site === 'play') {
    const known = Object.keys(KEYWORDS).filter((k) => table[k]!.on.includes('play') && table[k]!.read !== 'ignored')
    return fail(src, e.keyNode, `unknown play keyword '${e.key}'${didYouMean(e.key, known, 1)}`)
  }
  return fail(src, e.keyNode, `'${e.key}' is not valid on ${what}`)
}

/**
 * Reads the keywords of one entry at `site` (`what` names it in errors: "a block", "include_role").
 * Every key must be a keyword acplay takes there, except, with `others: 'keep'`, keys the table
 * does not know (a role's params), which are returned. A loop keyword may be given once.
 */
export function readKeywords<S extends Site>(
  src: Source,
  es: readonly Entry[],
  site: S,
  what: string,
  others: 'refuse' | 'keep' = 'refuse',
): { values: KeywordValues<S>; others: Entry[] } {
  const values: Record<string, unknown> = {}
  const rest: Entry[] = []
  const filled = new Map<string, Entry>()
  for (const e of es) {
    const def = table[e.key]
    if (others === 'keep' && !def?.on.includes(site)) {
      rest.push(e)
      continue
    }
    const refused = refusal(src, e, site, what)
    if (refused) throw refused
    const d = def!
    const field = d.into ?? e.key
    const twice = filled.get(field)
    if (twice) throw fail(src, e.keyNode, `only one of loop/with_* per task, got ${twice.key}, ${e.key}`)
    filled.set(field, e)
    const v = READERS[d.read](src, e.key, e.value, d)
    if (v !== undefined) values[field] = v
  }
  return { values: values as KeywordValues<S>, others: rest }
}
