/**
 * Every keyword of a play, block, task or role entry, in one table: where acplay takes it, how its
 * value is read, whether Ansible templates it (and acplay yet), how a block or role passes it down
 * to the tasks inside, and, where Ansible takes it and acplay does not, what to do instead. The
 * loader (readKeywords below, used by tasks.ts, includes.ts, roles.ts, play.ts), the types
 * (types.ts) and the run scope (engine/run/scope.ts) follow it: adding a keyword, allowing it
 * somewhere else or marking it templated is one line here (and the run's use of it).
 */
import { isScalar, type Node } from 'yaml'
import {
  becomeMethodKeyword,
  bool,
  conditions,
  isTemplate,
  loopControl,
  loopValue,
  mapping,
  number,
  oneOf,
  percentage,
  port,
  portNumber,
  seconds,
  serial,
  str,
  stringList,
  tags,
} from './keywords.js'
import { didYouMean } from './suggest.js'
import { fail, toJS, type Entry, type Source } from '../yaml-source.js'
import { LOOKUP_NAMES, lookupExists } from '../vars/lookups/index.js'

/**
 * Where a keyword can be: `task` a module task, `handler` one in `handlers:`, `include`
 * include_tasks / include_role, `import` import_tasks / import_role, `role` an entry of `roles:`
 * or a role's `dependencies:` (there, keys that are no keyword are the role's params).
 */
export type Site = 'play' | 'block' | 'task' | 'handler' | 'include' | 'import' | 'meta' | 'role'

/** Every entry of a task list. */
const TASKS = ['block', 'task', 'handler', 'include', 'import', 'meta'] as const
/** Keywords a role entry and every task-list entry but a dynamic include take. */
const INHERITABLE = ['block', 'task', 'handler', 'import', 'meta', 'role'] as const
/**
 * The few a dynamic include takes too: Ansible's TaskInclude.VALID_INCLUDE_KEYWORDS (with name, vars,
 * tags, loop, collections, debugger, listen below); they act on the include itself, the included
 * tasks take their keywords from `apply:` (engine/run/includes.ts).
 */
const ON_INCLUDE_TOO = [...INHERITABLE, 'include'] as const
const MODULE = ['task', 'handler'] as const
const LOOPING = ['task', 'handler', 'include'] as const

/** How the loader reads a value (keywords.ts); `loader`: the loader reads it itself; `ignored`: accepted, without effect. */
type Reader =
  | 'str'
  | 'bool'
  | 'conditions'
  | 'tags'
  | 'mapping'
  | 'vars'
  | 'stringList'
  | 'names'
  | 'number'
  | 'loop'
  | 'loopControl'
  | 'withLoop'
  | 'strategy'
  | 'order'
  | 'connection'
  | 'serial'
  | 'percentage'
  | 'seconds'
  | 'port'
  | 'becomeMethod'
  | 'loader'
  | 'ignored'

interface Keyword {
  /** where acplay takes it */
  on: readonly Site[]
  read: Reader
  /** the field it fills, when not its own name (with_items fills `loop`) */
  into?: string
  /** Ansible templates it per host, and so does acplay, at run time (the loader keeps a template as written); unset: a template is refused at load */
  templated?: true
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

/** Ansible's play `order` */
export const HOST_ORDERS = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] as const

export const KEYWORDS = {
  name: { on: [...TASKS, 'play'], read: 'str', templated: true },
  when: { on: ON_INCLUDE_TOO, read: 'conditions', templated: true, inherit: 'append' },
  tags: { on: [...ON_INCLUDE_TOO, 'play'], read: 'tags', templated: true, inherit: 'append' },
  vars: { on: [...TASKS, 'play'], read: 'vars', templated: true, inherit: 'merge' },
  become: { on: [...INHERITABLE, 'play'], read: 'bool', templated: true, inherit: 'override' },
  become_user: { on: [...INHERITABLE, 'play'], read: 'str', templated: true, inherit: 'override' },
  become_method: { on: [...INHERITABLE, 'play'], read: 'becomeMethod', templated: true, inherit: 'override' },
  // below the ansible_become_flags / _exe variables, as in Ansible (engine/run/gate.ts; their use: engine/connection/become.ts)
  become_flags: { on: [...INHERITABLE, 'play'], read: 'str', templated: true, inherit: 'override' },
  become_exe: { on: [...INHERITABLE, 'play'], read: 'str', templated: true, inherit: 'override' },
  check_mode: { on: [...INHERITABLE, 'play'], read: 'bool', templated: true, inherit: 'override' },
  environment: { on: [...INHERITABLE, 'play'], read: 'mapping', templated: true, inherit: 'merge' },
  ignore_errors: { on: ON_INCLUDE_TOO, read: 'bool', templated: true, inherit: 'override', unsupportedOn: ['play'] },
  // an unreachable host goes on with the next task, its result counted ok and ignored (engine/run/task.ts)
  ignore_unreachable: { on: [...INHERITABLE, 'play'], read: 'bool', templated: true, inherit: 'override' },
  diff: { on: [...INHERITABLE, 'play'], read: 'bool', templated: true, inherit: 'override' },
  no_log: { on: ON_INCLUDE_TOO, read: 'bool', templated: true, inherit: 'override', unsupportedOn: ['play'] },
  run_once: { on: ON_INCLUDE_TOO, read: 'bool', templated: true, inherit: 'override', unsupportedOn: ['play'] },
  delegate_to: { on: INHERITABLE, read: 'str', templated: true, inherit: 'override' },
  // the task's facts go to the host it was delegated to (engine/run/fact-hosts.ts)
  delegate_facts: { on: INHERITABLE, read: 'bool', templated: true, inherit: 'override' },
  // the play's: a role's short name is also looked for in them (play.ts, roles.ts); on a task or block it changes nothing here (every module acplay has answers to its short name)
  collections: { on: [...TASKS, 'play'], read: 'loader', unsupportedOn: ['role'], advice: 'set collections on the play' },
  debugger: { on: [...TASKS, 'play', 'role'], read: 'ignored' },
  // as Ansible's Base attributes: a play's, block's, import's or role entry's reaches the tasks inside (not a dynamic include's)
  throttle: { on: [...INHERITABLE, 'play'], read: 'number', templated: true, inherit: 'override' },
  // seconds a module task may run (engine/run/module-env.ts); under it ansible.cfg's task_timeout
  timeout: { on: [...ON_INCLUDE_TOO, 'play'], read: 'number', templated: true, inherit: 'override' },

  // a module task's (and a dynamic include's loop)
  loop: { on: LOOPING, read: 'loop', templated: true },
  loop_control: { on: LOOPING, read: 'loopControl', templated: true },
  args: { on: MODULE, read: 'loader', templated: true },
  register: { on: MODULE, read: 'str' },
  // on a block (or an import, include, role) it is the notify of every task inside
  notify: { on: INHERITABLE, read: 'names', inherit: 'append' },
  changed_when: { on: MODULE, read: 'conditions', templated: true },
  failed_when: { on: MODULE, read: 'conditions', templated: true },
  until: { on: MODULE, read: 'conditions', templated: true },
  retries: { on: MODULE, read: 'number', templated: true },
  delay: { on: MODULE, read: 'number', templated: true },
  // command and shell in the background on the host; other modules within the time (engine/run/async-task.ts)
  async: { on: MODULE, read: 'number', templated: true },
  poll: { on: MODULE, read: 'number', templated: true },
  listen: { on: ['handler', 'include'], read: 'stringList', misplaced: "'listen' is only valid on handlers" },
  block: { on: ['block'], read: 'loader' },
  rescue: { on: ['block'], read: 'loader' },
  always: { on: ['block'], read: 'loader' },

  // a play's
  hosts: { on: ['play'], read: 'loader', templated: true },
  vars_files: { on: ['play'], read: 'loader', templated: true },
  gather_facts: { on: ['play'], read: 'bool', templated: true },
  serial: { on: ['play'], read: 'serial', templated: true },
  strategy: { on: ['play'], read: 'strategy' },
  // the order the play's hosts run and are batched in (engine/run/play.ts)
  order: { on: ['play'], read: 'order' },
  pre_tasks: { on: ['play'], read: 'loader' },
  roles: { on: ['play'], read: 'loader' },
  tasks: { on: ['play'], read: 'loader' },
  post_tasks: { on: ['play'], read: 'loader' },
  handlers: { on: ['play'], read: 'loader' },
  any_errors_fatal: { on: [...INHERITABLE, 'play'], read: 'bool', templated: true, inherit: 'override' },
  max_fail_percentage: { on: ['play'], read: 'percentage', templated: true },
  // notified handlers run on a host even after it failed (engine/run/handlers.ts)
  force_handlers: { on: ['play'], read: 'bool', templated: true },
  // on tasks, blocks and role entries too (a role's keywords there, never its params); a host's own
  // ansible_connection / ansible_user wins over them (engine/run/module-env.ts)
  connection: { on: [...INHERITABLE, 'play'], read: 'connection', templated: true, inherit: 'override' },
  remote_user: { on: [...INHERITABLE, 'play'], read: 'str', templated: true, inherit: 'override' },
  // the ssh port, under the host's ansible_port / ansible_ssh_port (engine/run/module-env.ts); not on a dynamic include, as Ansible's
  port: { on: [...INHERITABLE, 'play'], read: 'port', templated: true, inherit: 'override' },
  // read by the loader (module-defaults.ts); an inner level's entry for a module replaces the outer's
  module_defaults: { on: [...INHERITABLE, 'play'], read: 'loader', inherit: 'merge' },
  gather_subset: { on: ['play'], read: 'stringList', templated: true },
  gather_timeout: { on: ['play'], read: 'seconds', templated: true },
  fact_path: { on: ['play'], read: 'str', templated: true },

  // a play's, read by the loader
  vars_prompt: { on: ['play'], read: 'loader' },
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
  vars: (src: Source, key: string, node: Node | null) => mapping(src, key, node),
  stringList: (src: Source, key: string, node: Node | null) => stringList(src, key, node),
  /** names each templated when the task reports (notify.ts), a lone template too: "restart {{ item }}" */
  names: (src: Source, key: string, node: Node | null) => stringList(src, key, node),
  number: (src: Source, key: string, node: Node | null) => number(src, key, node),
  loop: (src: Source, _key: string, node: Node | null) => loopValue(src, node),
  loopControl: (src: Source, _key: string, node: Node | null) => loopControl(src, node),
  withLoop: (src: Source, _key: string, node: Node | null) => toJS(src, node),
  strategy: (src: Source, key: string, node: Node | null) => oneOf(src, key, node, ['linear', 'free'] as const),
  order: (src: Source, key: string, node: Node | null) => oneOf(src, key, node, HOST_ORDERS),
  connection: (src: Source, key: string, node: Node | null) => oneOf(src, key, node, ['ssh', 'local', 'smart'] as const),
  serial: (src: Source, key: string, node: Node | null) => serial(src, key, node),
  percentage: (src: Source, key: string, node: Node | null) => percentage(src, key, node),
  seconds: (src: Source, key: string, node: Node | null) => seconds(src, key, node),
  port: (src: Source, key: string, node: Node | null) => port(src, key, node),
  becomeMethod: (src: Source, key: string, node: Node | null) => becomeMethodKeyword(src, key, node),
  loader: () => undefined,
  ignored: () => undefined,
} satisfies Record<Reader, (src: Source, key: string, node: Node | null, def: Keyword) => unknown>

/** The value a keyword has once read (a templated keyword may still be a template, rendered per host: keyword-value.ts). */
type ValueOf<D extends Keyword> = D extends { templated: true; read: Exclude<Reader, Inside> }
  ? ReturnType<(typeof READERS)[D['read']]> | string
  : ReturnType<(typeof READERS)[D['read']]>

/** Readers whose templates are read by the reader itself (conditions, loops) or inside the value (vars, args, each tag). */
type Inside = 'conditions' | 'loop' | 'loopControl' | 'loader' | 'ignored' | 'vars' | 'tags' | 'names'
const TEMPLATES_INSIDE: ReadonlySet<Reader> = new Set<Inside>(['conditions', 'loop', 'loopControl', 'loader', 'ignored', 'vars', 'tags', 'names'])

/**
 * A keyword's value given as one template string: kept as written where the keyword is templated
 * (rendered and checked per host at run time), refused with file:line where acplay does not
 * template it yet; undefined when the value is no template (the reader checks it).
 */
function templateOf(src: Source, e: Entry, d: Keyword): string | undefined {
  const node = e.value
  if (!isScalar(node) || typeof node.value !== 'string' || !isTemplate(node.value) || TEMPLATES_INSIDE.has(d.read)) return undefined
  if (d.templated === true) return node.value
  throw fail(src, node, `'${e.key}' given as a template is not supported by acplay yet: write the value itself`)
}

/**
 * A templated keyword's value after rendering, checked as the loader checks a literal one: the
 * message says what is wrong (the run names the task's file:line). Ansible's boolean is strict.
 */
export function checkRendered(key: string, v: unknown): unknown {
  const def = Object.hasOwn(table, key) ? table[key] : undefined
  const bad = (what: string) => new Error(`'${key}' must be ${what}, got ${JSON.stringify(v) ?? String(v)} (rendered from a template)`)
  switch (def?.read) {
    case 'bool': {
      const s = typeof v === 'string' ? v.trim().toLowerCase() : v
      if (s === true || s === 1 || ['y', 'yes', 'on', '1', 'true', 't'].includes(s as string)) return true
      if (s === false || s === 0 || ['n', 'no', 'off', '0', 'false', 'f'].includes(s as string)) return false
      throw bad('a boolean')
    }
    case 'str':
      if (typeof v === 'string' || typeof v === 'number') return String(v)
      throw bad('a string')
    case 'number': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n
      throw bad('a number')
    }
    case 'percentage': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
      if (typeof n === 'number' && n >= 0 && n <= 100) return n
      throw bad('a number from 0 to 100')
    }
    case 'serial':
      if (typeof v === 'number' || (typeof v === 'string' && /^\s*\d+(\.\d+)?%?\s*$/.test(v))) return v
      throw bad('a number or a percentage')
    case 'port': {
      const n = portNumber(v)
      if (n !== undefined) return n
      throw bad('a port number (1-65535)')
    }
    case 'connection':
      if (v === 'ssh' || v === 'local' || v === 'smart') return v
      throw bad('one of ssh, local, smart')
    case 'mapping':
      if (v === null || v === undefined || v === '') return {}
      if (typeof v === 'object' && !Array.isArray(v)) return v
      throw bad('a mapping')
    default:
      return v
  }
}
type FieldOf<K extends KeywordName> = Def<K> extends { into: infer F extends string } ? F : K
/** Keywords with a value the loader stores, that acplay takes at `S`. */
type StoredOn<S extends Site> = {
  [K in KeywordName]: S extends Def<K>['on'][number] ? (Def<K>['read'] extends 'loader' | 'ignored' ? never : K) : never
}[KeywordName]

/** The values of the keywords taken at `S`, by the field they fill: what readKeywords returns, and what types.ts builds on. */
export type KeywordValues<S extends Site> = { -readonly [K in StoredOn<S> as FieldOf<K>]?: ValueOf<Def<K>> }

/** The keywords a block or role passes down, and how (engine/run/scope.ts). */
export type Inherited = { [K in KeywordName]: Def<K> extends { inherit: string } ? K : never }[KeywordName]
export const INHERITED = Object.entries(KEYWORDS).flatMap(([k, d]) => ('inherit' in d ? [[k as Inherited, d.inherit] as const] : []))

/**
 * `with_<lookup>`: the loop's terms, for the lookup to turn into items when the task runs (Ansible's
 * `loop_with`); taken for every lookup acplay has (engine/vars/lookups).
 */
const WITH_LOOP: Keyword = { on: LOOPING, read: 'withLoop', into: 'loop', templated: true }
const withLookup = (key: string): string | undefined => (/^with_./.test(key) ? key.slice(5) : undefined)
const keyword = (key: string): Keyword | undefined => {
  const lookup = withLookup(key)
  return (Object.hasOwn(table, key) ? table[key] : undefined) ?? (lookup !== undefined && lookupExists(lookup) ? WITH_LOOP : undefined)
}

/** Whether `key` is a keyword of some task-list entry (so not a task's action). */
export function isTaskKeyword(key: string): boolean {
  const def = keyword(key)
  return !!def && [...def.on, ...(def.unsupportedOn ?? [])].some((s) => (TASKS as readonly string[]).includes(s))
}

/** Whether acplay takes keyword `key` at `site`. */
export const takenOn = (key: string, site: Site): boolean => keyword(key)?.on.includes(site) ?? false

/** Every task keyword, for "did you mean" after a mistyped action. */
export const TASK_KEYWORD_NAMES = Object.keys(KEYWORDS).filter(isTaskKeyword)

const noun = (site: Site) => (site === 'play' || site === 'block' || site === 'role' ? site : 'task')

/** `with_<name>` where acplay has no lookup `name`: the error saying so, or undefined. */
export function lookupLoop(src: Source, e: Entry, task?: string): Error | undefined {
  const name = withLookup(e.key)
  if (name === undefined || keyword(e.key)) return undefined
  return fail(src, e.keyNode, `'${e.key}': there is no lookup plugin '${name}' (acplay has: ${LOOKUP_NAMES.join(', ')}); use 'loop' with a filter`, task)
}

/** The error for a key that is no keyword at `site`, or undefined if it is one (or, with `others: 'keep'`, not one of the table's). */
function refusal(src: Source, e: Entry, site: Site, what: string): Error | undefined {
  const def = keyword(e.key)
  if (def?.on.includes(site)) return undefined
  if (def?.unsupportedOn?.includes(site)) {
    // a role's params are its other keys: one named like a keyword is no variable in Ansible either
    const param = site === 'role' ? `; a variable of that name goes under the role's vars:` : ''
    return fail(src, e.keyNode, `${noun(site)} keyword '${e.key}' is not supported by acplay${def.advice ? `: ${def.advice}` : ''}${param}`)
  }
  if (!def && site !== 'play') {
    const lookup = lookupLoop(src, e)
    if (lookup) return lookup
  }
  if (def?.misplaced) return fail(src, e.keyNode, def.misplaced)
  if (def && site === 'include') {
    const cls = what === 'include_role' ? 'IncludeRole' : 'TaskInclude'
    return fail(src, e.keyNode, `'${e.key}' is not a valid attribute for a ${cls} (give the included tasks their keywords with apply:)`)
  }
  if (!def && site === 'play' && e.key === 'include')
    return fail(src, e.keyNode, "'include' is not a valid attribute for a Play (Ansible 2.14 imports a playbook with import_playbook)")
  if (!def && site === 'play') {
    const known = Object.keys(KEYWORDS).filter((k) => table[k]!.on.includes('play') && table[k]!.read !== 'ignored')
    return fail(src, e.keyNode, `unknown play keyword '${e.key}'${didYouMean(e.key, known, 1)}`)
  }
  return fail(src, e.keyNode, `'${e.key}' is not valid on ${what}`)
}

/**
 * Reads the keywords of one entry at `site` (`what` names it in errors: "a block", "include_role").
 * Every key must be a keyword acplay takes there, except, with `others: 'keep'`, keys that are no
 * keyword there (a role's params), which are returned. A loop keyword may be given once.
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
    const def = keyword(e.key)
    if (others === 'keep' && !def?.on.includes(site) && !def?.unsupportedOn?.includes(site)) {
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
    const v = templateOf(src, e, d) ?? READERS[d.read](src, e.key, e.value, d)
    if (v !== undefined) values[field] = v
    if (d === WITH_LOOP) values.loop_with = withLookup(e.key)
  }
  return { values: values as KeywordValues<S>, others: rest }
}
