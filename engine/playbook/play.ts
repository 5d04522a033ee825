/** One play: its keywords checked (unknown keys named with a suggestion), its task lists and roles loaded. */
import path from 'node:path'
import { isMap, isSeq, type Node } from 'yaml'
import { newPlayScope, type Registry, type TaskScope } from './context.js'
import { readKeywords } from './keyword-table.js'
import { bool, str, stringList } from './keywords.js'
import { readModuleDefaults } from './module-defaults.js'
import { roleBlock, roleEntry } from './roles.js'
import { loadHandlers, loadTaskList } from './tasks.js'
import type { Play, Task, VarsPrompt } from './types.js'
import { describeNode, entries, fail, isNull, posOf, toJS, type Entry, type Source } from '../yaml-source.js'

export function loadPlay(src: Source, node: Node, registry: Registry, rolesPath: string[]): Play {
  if (!isMap(node)) throw fail(src, node, `a play must be a mapping, got ${describeNode(node)}`)
  const es = legacyUser(src, entries(src, node))
  const { values } = readKeywords(src, es, 'play', 'a play')
  const get = (k: string): Entry | undefined => es.find((e) => e.key === k)
  const hostsEntry = get('hosts')
  if (!hostsEntry || isNull(hostsEntry.value)) throw fail(src, hostsEntry?.keyNode ?? node, "play has no 'hosts'")
  const dir = path.dirname(src.file)
  const hosts = stringList(src, 'hosts', hostsEntry.value).join(',')
  const play: Play = {
    name: hosts,
    pos: posOf(src, node),
    hosts,
    vars: {},
    vars_files: [],
    strategy: 'linear',
    tags: [],
    ...values,
    pre_tasks: [],
    roles: [],
    tasks: [],
    post_tasks: [],
    handlers: [],
    dir,
  }
  const prompts = get('vars_prompt')
  if (prompts) play.vars_prompt = varsPrompt(src, prompts.value)
  const varsFilesEntry = get('vars_files')
  if (varsFilesEntry) play.vars_files = varsFiles(src, varsFilesEntry.value)
  const play_ = newPlayScope(registry, dir, rolesPath)
  const collections = get('collections')
  if (collections) play_.collections = play.collections = stringList(src, 'collections', collections.value)
  const defaults = get('module_defaults')
  if (defaults) play_.moduleDefaults = play.module_defaults = readModuleDefaults(play_, src, defaults.value)
  const scope: TaskScope = { play: play_, src, baseDir: dir, stack: [src.file] }
  const list = (k: 'pre_tasks' | 'tasks' | 'post_tasks'): Task[] => loadTaskList(scope, get(k)?.value ?? null, k)
  play.pre_tasks = list('pre_tasks')
  play.roles = roles(scope, get('roles')?.value ?? null)
  play.tasks = list('tasks')
  play.post_tasks = list('post_tasks')
  // the play's own handlers first, then the roles' (loaded with their roles above)
  play.handlers = [...loadHandlers(scope, get('handlers')?.value ?? null), ...play_.handlers]
  play.seen = { roles: play_.rolesSeen, handlers: play_.handlersSeen }
  return play
}

function roles(scope: TaskScope, node: Node | null): Task[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(scope.src, node, `'roles' must be a list, got ${describeNode(node)}`)
  return node.items.flatMap((n) => {
    const { ref, kw } = roleEntry(scope, n as Node)
    const block = roleBlock(scope, ref, kw, true, 'roles')
    return block ? [block] : []
  })
}

function varsFiles(src: Source, node: Node | null): (string | string[])[] {
  // an entry that is a list: its first file found is read (Ansible's "conditional includes")
  if (isSeq(node)) return node.items.map((n) => (isSeq(n) ? stringList(src, 'vars_files', n as Node) : str(src, 'vars_files', n as Node)))
  return stringList(src, 'vars_files', node)
}

const PROMPT_KEYS = new Set(['name', 'prompt', 'default', 'private', 'confirm', 'unsafe', 'encrypt', 'salt', 'salt_size'])

/** A play's old `user:` is its remote_user (Ansible's Play.preprocess_data renames it; both given is an error). */
function legacyUser(src: Source, es: Entry[]): Entry[] {
  const user = es.find((e) => e.key === 'user')
  if (!user) return es
  if (es.some((e) => e.key === 'remote_user'))
    throw fail(src, user.keyNode, "both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed")
  return es.map((e) => (e === user ? { ...e, key: 'remote_user' } : e))
}

/** `vars_prompt:` entries: a name, the question, a default, whether the answer is private (a secret; the default). */
function varsPrompt(src: Source, node: Node | null): VarsPrompt[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(src, node, `'vars_prompt' must be a list, got ${describeNode(node)}`)
  return node.items.map((n) => {
    if (!isMap(n)) throw fail(src, n as Node, `a vars_prompt entry must be a mapping, got ${describeNode(n as Node)}`)
    const es = entries(src, n)
    const bad = es.find((e) => !PROMPT_KEYS.has(e.key))
    if (bad) throw fail(src, bad.keyNode, `'${bad.key}' is not supported in vars_prompt (supported: ${[...PROMPT_KEYS].join(', ')})`)
    const val = (k: string) => es.find((e) => e.key === k)
    const name = val('name')
    if (!name) throw fail(src, n, "a vars_prompt entry needs a 'name'")
    const p: VarsPrompt = {
      name: str(src, 'name', name.value),
      prompt: val('prompt') ? str(src, 'prompt', val('prompt')!.value) : undefined,
      private: true,
      pos: posOf(src, n),
    }
    const priv = val('private')
    if (priv) p.private = bool(src, 'private', priv.value) as boolean
    const confirm = val('confirm')
    if (confirm) p.confirm = bool(src, 'confirm', confirm.value) as boolean
    const unsafe = val('unsafe')
    if (unsafe) p.unsafe = bool(src, 'unsafe', unsafe.value) as boolean
    const def = val('default')
    if (def) p.default = toJS(src, def.value)
    const encrypt = val('encrypt')
    if (encrypt) p.encrypt = str(src, 'encrypt', encrypt.value)
    const salt = val('salt')
    if (salt) p.salt = str(src, 'salt', salt.value)
    const saltSize = val('salt_size')
    if (saltSize) {
      const n = toJS(src, saltSize.value)
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        throw fail(src, saltSize.value, `'salt_size' must be a whole number, got ${describeNode(saltSize.value)}`)
      p.saltSize = n
    }
    return p
  })
}
