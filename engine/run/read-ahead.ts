/**
 * Read-ahead: the facts the next tasks will ask, read for each host in ONE round trip, with reads
 * of the same fact merged into one command where the fact allows it (path.stats: one stat and one
 * sha256sum for every path of a run of file tasks). The tasks then plan from the answers.
 *
 * Why it stays truthful: reading only reads (a module's plan never mutates), an answer is used
 * once, by the task that asks exactly that question as that user, and every apply on any host
 * clears every host's answers (engine/fact-cache.ts, which also keeps how far ahead to look). So an
 * answer is always what the task would have read, only read a moment earlier.
 *
 * Which questions: each upcoming task that the gate lets run on the host plans, as it would, with
 * the task's own context except that it reads nothing: it records the facts asked and stops there.
 * That is the first round of facts each task needs. So a module's plan must only read through
 * ctx.fact / ctx.run (never by other means) and may be run early and stopped at any read.
 */
import { randomBytes } from 'node:crypto'
import { ENDS_READ_AHEAD, isEngineAction } from '../actions/names.js'
import { commandLine } from '../apply-plan.js'
import type { FactCache } from '../fact-cache.js'
import { moduleContext } from '../module-runner.js'
import type { ModuleTask, Task } from '../playbook/types.js'
import { expandPathArgs, validateParams } from '../../modules/schema.js'
import { factKey, type Command, type Fact, type ModuleContext } from '../../modules/types.js'
import { becomeKey } from '../connection/become.js'
import type { Become, Connection, ExecResult } from '../connection/types.js'
import { taskArgs } from './task-args.js'
import { lookupNamed } from '../vars/lookups/index.js'
import type { PlayContext } from './context.js'
import { falseCondition, selected, started } from './gate.js'
import type { HostState } from './host-state.js'
import { loopItem, loopItems, loopSettings } from './loop.js'
import { taskRun, type Scope, type TaskRun } from './scope.js'
import { hostModuleEnv } from './module-env.js'

type AnyFact = Fact<unknown, unknown[]>
interface Read {
  fact: AnyFact
  args: unknown[]
  /** the task's become, and its becomeKey: the reads of each go down its shell, as the task's own would */
  become?: Become
  key?: string
  /** the task's connection (the host's own, or to the port its `port` keyword names): reads go where the task would */
  via: Connection
}

/**
 * Before tasks[from] runs: read ahead for the hosts whose answers do not cover it. `minAhead`: read
 * at least that many tasks' facts (the play's fact gathering folds the first task's reads into its own).
 */
export async function readAhead(pc: PlayContext, tasks: readonly Task[], from: number, hosts: HostState[], scope: Scope, minAhead = 0): Promise<void> {
  const rc = pc.run
  const ahead = rc.readAhead.window(minAhead)
  if (ahead < 2 || !started(rc)) return
  const upcoming: ModuleTask[] = []
  for (const t of tasks.slice(from)) {
    if (upcoming.length === ahead) break
    // flush_handlers does not end the run of tasks: a handler runs only after a change, which
    // discards what was read anyway. A block, an include, another meta task, and the actions
    // that change the vars, the inventory or the connection (names.ts ENDS_READ_AHEAD) do.
    if (t.kind === 'meta' && t.action === 'flush_handlers') continue
    if (t.kind !== 'module' || ENDS_READ_AHEAD.has(isEngineAction(t.module) ?? '')) break
    upcoming.push(t)
  }
  if (upcoming.length < 2) return
  const due = hosts.filter((h) => !rc.readAhead.answers(h.name).covers.has(upcoming[0]!))
  await Promise.all(due.map((h) => rc.limit(() => readHost(pc, upcoming, h, scope))))
}

async function readHost(pc: PlayContext, tasks: ModuleTask[], host: HostState, scope: Scope): Promise<void> {
  const cache = pc.run.readAhead.answers(host.name)
  // an apply anywhere while this host is read makes what it answers stale (FactCache.put drops it)
  const readAt = pc.run.readAhead.changes
  cache.clear()
  for (const t of tasks) cache.covers.add(t)
  const reads: Read[] = []
  for (const t of tasks) reads.push(...(await questions(pc, t, host, scope)))
  // one script per connection and become user, as the tasks' own reads would go
  const byShell = new Map<Connection, Map<string | undefined, Read[]>>()
  for (const r of reads) {
    const byBecome = byShell.get(r.via) ?? new Map<string | undefined, Read[]>()
    byShell.set(r.via, byBecome.set(r.key, [...(byBecome.get(r.key) ?? []), r]))
  }
  for (const [key, rs] of [...byShell.values()].flatMap((m) => [...m])) {
    try {
      await answer(rs[0]!.via, cache, rs[0]!.become, key, rs, readAt)
    } catch {
      // unreachable, sudo refused: the task itself reads, and reports that properly
    }
  }
}

const STOP = new Error('read-ahead: recorded')
/** A rejection that counts as handled: a plan may drop a fact's promise without awaiting it. */
function stop(): Promise<never> {
  const p = Promise.reject(STOP)
  p.catch(() => {})
  return p
}

/** Lookups that run commands, write files, fetch or choose at random: a loop over them is not worked out early (it would run them twice). */
const IMPURE_LOOKUPS = /^(ansible\.(builtin|legacy)\.)?(pipe|lines|password|random_choice|url)$/
const CALLS_LOOKUP = /\b(lookup|query|q)\s*\(/

/** Read ahead for at most this many items of a loop (fleet bench: loops were 7 of a no-op's 13 round trips per host). */
const MAX_LOOP_ITEMS = 64

/** Whether the items of a loop can be worked out early without side effects. */
function pureLoop(task: ModuleTask): boolean {
  // a lookup acplay lacks runs in the controller's Ansible, whatever it does
  if (task.loop_with && (IMPURE_LOOKUPS.test(task.loop_with) || !lookupNamed(task.loop_with))) return false
  return !CALLS_LOOKUP.test(typeof task.loop === 'string' ? task.loop : JSON.stringify(task.loop ?? null))
}

/**
 * The facts a task's plan asks first, as this host and user (for a loop, each item's); none when
 * they cannot be told in advance.
 */
async function questions(pc: PlayContext, task: ModuleTask, host: HostState, scope: Scope): Promise<Read[]> {
  // one round of reads per plan on this host: not for a retried or delegated task, run_once
  if (isEngineAction(task.module) || (task.delegate_to ?? scope.delegate_to) !== undefined || (task.run_once ?? scope.run_once) || task.until?.length) return []
  if (!selected(pc, scope, task)) return []
  const reads: Read[] = []
  try {
    const run = taskRun(pc, task, host, scope)
    let each = [run.vars]
    if (task.loop !== undefined) {
      if (!pureLoop(task)) return []
      const items = loopItems(task, task.module, run.vars, run.where) ?? []
      const settings = loopSettings(task, run.vars, run.where)
      // the first items only: the later ones read when they run
      each = items.slice(0, MAX_LOOP_ITEMS).map((_x, i) => loopItem(settings, items, i, run.vars).vars)
    }
    for (const vars of each) await planQuestions({ ...run, vars }, reads)
  } catch {
    // the loop's items could not be worked out yet (a variable registered later)
  }
  return reads
}

/** Records the facts the task's plan asks first with these variables. */
async function planQuestions(run: TaskRun, reads: Read[]): Promise<void> {
  const { task, scope, vars, where } = run
  try {
    if (falseCondition(scope, task, vars, where) !== undefined) return
    const { mod, env } = hostModuleEnv(run)
    if (!mod || !env.readAhead?.take || (env.check && mod.checkMode === 'none')) return
    const params = validateParams(mod, taskArgs(run), where)
    // the task's own context, except that it reads nothing: it records the facts asked, and stops
    const ctx: ModuleContext = {
      ...moduleContext(env),
      recording: true,
      // the task shows its warnings when it runs
      warn: undefined,
      run: stop,
      fact: (fact, ...args) => {
        reads.push({ fact: fact as AnyFact, args, become: env.become, key: env.become && becomeKey(env.become), via: env.conn })
        return stop()
      },
    }
    await mod.plan((await expandPathArgs(mod, params, ctx)) as never, ctx)
  } catch {
    // stopped at its first fact, or it could not be planned yet (a variable registered later)
  }
}

/**
 * One script for all of a user's reads: a question asked twice is asked once, reads of a fact
 * that can merge are one command; each answer is parsed and kept (a copy for each asker).
 */
async function answer(
  conn: Connection,
  cache: FactCache,
  become: Become | undefined,
  becomeKey: string | undefined,
  reads: Read[],
  readAt: number,
): Promise<void> {
  const groups = new Map<AnyFact, Map<string, { args: unknown[]; askers: number }>>()
  for (const r of reads) {
    const byKey = groups.get(r.fact) ?? new Map<string, { args: unknown[]; askers: number }>()
    groups.set(r.fact, byKey)
    const key = factKey(r.fact, r.args)
    const q = byKey.get(key) ?? { args: r.args, askers: 0 }
    q.askers++
    byKey.set(key, q)
  }
  // an ask: one command, and how its output gives each question's answer
  const asks: { command: Command; parse: (out: ExecResult) => unknown[]; fact: AnyFact; questions: { args: unknown[]; askers: number }[] }[] = []
  for (const [fact, byKey] of groups) {
    const qs = [...byKey.values()]
    if (fact.batch && qs.length > 1) {
      const batch = fact.batch
      asks.push({
        fact,
        questions: qs,
        command: batch.command(qs.map((q) => q.args)),
        parse: (out) =>
          batch.parse(
            out,
            qs.map((q) => q.args),
          ),
      })
    } else {
      for (const q of qs) asks.push({ fact, questions: [q], command: fact.command(...q.args), parse: (out) => [fact.parse(out, ...q.args)] })
    }
  }
  const nonce = `ACPLAY_READ_${randomBytes(12).toString('hex')}`
  const script = asks
    .map((a, i) => {
      const line = commandLine(a.command)
      // a { } group, not a subshell per read: the whole script runs in one (shell-session.ts); a read
      // that ended it early would only lose the reads after it, which their tasks then ask themselves
      return `{\n${line}\n} </dev/null; printf '%s %d %d\\n' ${nonce} ${i} $?; printf '%s %d\\n' ${nonce} ${i} >&2`
    })
    .join('\n')
  const out = await conn.exec(script, { become })
  const stdouts = split(out.stdout, nonce, true)
  const stderrs = split(out.stderr, nonce, false)
  asks.forEach((a, i) => {
    const res = stdouts[i]
    if (!res || stderrs[i] === undefined) return
    let values: unknown[]
    try {
      values = a.parse({ rc: res.rc, stdout: res.text, stderr: stderrs[i]!.text })
    } catch {
      return // the task reads it again and reports the error itself
    }
    a.questions.forEach((q, k) => {
      const key = factKey(a.fact, q.args)
      for (let n = 0; n < q.askers; n++) cache.put(a.fact.name, key, becomeKey, n === 0 ? values[k] : structuredClone(values[k]), readAt)
    })
  })
}

/** The output of each read, by the `NONCE i rc` (stdout) or `NONCE i` (stderr) line after it. */
function split(text: string, nonce: string, withRc: boolean): { text: string; rc: number }[] {
  const parts: { text: string; rc: number }[] = []
  let from = 0
  for (let i = 0; ; i++) {
    const mark = `${nonce} ${i}${withRc ? ' ' : '\n'}`
    const at = text.indexOf(mark, from)
    if (at < 0) return parts
    const end = text.indexOf('\n', at + mark.length - (withRc ? 0 : 1))
    parts.push({ text: text.slice(from, at), rc: withRc ? Number(text.slice(at + mark.length, end)) : 0 })
    from = end + 1
  }
}
