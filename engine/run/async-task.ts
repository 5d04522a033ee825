/**
 * `async` / `poll` on a task: the module's plan runs as a job in the background on the host, in a
 * job directory (`~/.ansible_async/<jid>`, facts/async-job.ts). With `poll: 0` the task returns at
 * once (`ansible_job_id`, `started: 1`, `finished: 0`, changed) and `async_status` reads the job
 * later; with `poll: N` the run reads the job every N seconds until it ends, failing (and stopping
 * the job) past `async` seconds, as Ansible does. Either way the module's own result comes from
 * what its script printed (engine/async-jobs.ts). Modules whose Ansible action has no async
 * (copy, template...) fail as there.
 */
import { randomInt } from 'node:crypto'
import { quote, shellJoin } from '../connection/quote.js'
import { planApply } from '../apply-plan.js'
import { appliedFrom } from '../apply-outcome.js'
import { finishedModuleJob, jobKeys, NO_OUTPUT, rememberJob } from '../async-jobs.js'
import { moduleContext, runModule, type Background, type ModuleEnv, type ModuleOutcome } from '../module-runner.js'
import { ASYNC_DIR, asyncJob } from '../../modules/facts/async-job.js'
import type { ModuleSpec } from '../../modules/types.js'
import { keywordValue } from './keyword-value.js'
import type { TaskRun } from './scope.js'

/** Ansible's default seconds between two reads of a job. */
const DEFAULT_POLL = 15
/** Modules whose Ansible action plugin refuses `async` (its ActionBase: "async is not supported for this task.") */
const NO_ASYNC = new Set(['copy', 'template', 'assemble', 'fetch', 'script', 'raw', 'unarchive', 'synchronize', 'async_status'])

/** The task's `async` seconds (0 or absent: not async) and `poll` seconds. */
export function asyncOf({ task, vars, where }: TaskRun): { async: number; poll: number } | undefined {
  const seconds = keywordValue<number>('async', task.async, vars, where)
  if (!seconds) return undefined
  return { async: Number(seconds), poll: Number(keywordValue<number>('poll', task.poll, vars, where) ?? DEFAULT_POLL) }
}

// The job: its own session (setsid), so the run's shell ending does not end it; rc is written last, by rename
const START = `d="$HOME/${ASYNC_DIR}/$1"
mkdir -p "$d" || exit 1
printf '%s' "$2" > "$d/cmd"
date +%s%6N > "$d/start"
setsid sh -c 'd=$1; echo $$ > "$d/pid"; eval "$2" > "$d/stdout" 2> "$d/stderr" < /dev/null; echo $? > "$d/rc.tmp"; date +%s%6N > "$d/end"; mv "$d/rc.tmp" "$d/rc"' sh "$d" "$3" > /dev/null 2>&1 < /dev/null &
printf '%s\\n' "$d"`

const STOP = `d="$HOME/${ASYNC_DIR}/$1"; pid=$(cat "$d/pid" 2>/dev/null) && kill -TERM -- "-$pid" 2>/dev/null; true`

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A task with `async`: its module's plan starts as a job on the host (moduleJob). `poll: 0` returns
 * the start; else the run reads the job every `poll` seconds and returns the module's own outcome
 * once it ended (the job's file then removed, as Ansible's poll does), or fails past `async` seconds
 * and stops the job. Check mode predicts as for any task (Ansible 2.14 refuses async there).
 */
export async function runAsync(mod: ModuleSpec, args: Record<string, unknown>, env: ModuleEnv, a: { async: number; poll: number }): Promise<ModuleOutcome> {
  if (NO_ASYNC.has(mod.name)) return { status: 'failed', msg: 'async is not supported for this task.', changes: [], data: {} }
  if (env.check) {
    const out = await runModule(mod, args, { ...env, timeoutMs: a.async * 1000 })
    return out.status === 'failed' && /E_TIMEOUT/.test(out.msg ?? '') ? { ...out, msg: timedOut(a) } : out
  }
  const started = await runModule(mod, args, { ...env, background: moduleJob(env) })
  const jid = started.data.ansible_job_id
  // poll 0, or no job: its arguments were refused before the start
  if (a.poll === 0 || typeof jid !== 'string') return started
  return pollJob(jid, String(started.data.results_file), env, a)
}

const timedOut = (a: { async: number }) => `async task did not complete within the requested time - ${a.async}s`

async function pollJob(jid: string, resultsFile: string, env: ModuleEnv, a: { async: number; poll: number }): Promise<ModuleOutcome> {
  const ctx = moduleContext(env)
  const deadline = Date.now() + a.async * 1000
  for (let unfinished = 0; ; unfinished++) {
    await sleep(Math.min(a.poll * 1000, Math.max(0, deadline - Date.now())))
    const job = await ctx.fact(asyncJob, jid)
    const own = job.state === 'finished' ? finishedModuleJob(job) : undefined
    if (own) {
      await env.conn.exec(shellJoin(['rm', '-rf', '--', job.dir]), { become: env.become })
      return { ...own, polled: { jid, unfinished, failed: own.status === 'failed' } }
    }
    if (Date.now() >= deadline) {
      await env.conn.exec(shellJoin(['sh', '-c', STOP, 'sh', jid]), { become: env.become })
      const asyncResult = { ...NO_OUTPUT, ...jobKeys({ jid, dir: resultsFile }, 0) }
      // this last read found it running too: Ansible's callback tells it as a poll
      return { status: 'failed', msg: timedOut(a), changes: [], data: { async_result: asyncResult }, polled: { jid, unfinished: unfinished + 1, failed: true } }
    }
  }
}

const newJid = () => `j${randomInt(1e11, 1e12 - 1)}.${process.pid}`

const notStarted = (stderr: string): ModuleOutcome => ({ status: 'failed', msg: `could not start the job: ${stderr.trim()}`, changes: [], data: {} })

/** A job's start, the task's result with `poll: 0`: changed, as Ansible reports every job it started. */
function startedResult(jid: string, resultsFile: string, summary: string): ModuleOutcome {
  return {
    status: 'changed',
    changes: [{ summary: `${summary} (in the background, job ${jid})` }],
    // async_wrapper's own words: failed is 0 there, not false
    data: { ...jobKeys({ jid, dir: resultsFile }, 0), failed: 0 },
  }
}

/**
 * A module's plan as a background job: its script is written into the job directory (a here-document
 * of the start's own script, so no argument-length limit applies; readable by its user alone), run
 * there by START and removed; what it printed becomes the module's outcome when async_status finds
 * it ended.
 */
function moduleJob(env: ModuleEnv): Background {
  return async (changes, finish, summary, cmd) => {
    const { script, steps, input } = planApply(changes)
    if (input) return { status: 'failed', msg: 'async: a file too large to travel inside the job cannot be written by it', changes: [], data: {} }
    const jid = newJid()
    const end = `ACPLAY_JOB_${randomInt(1e11, 1e12 - 1)}`
    const dir = `"$HOME"/${ASYNC_DIR}/${quote(jid)}`
    const start = [
      `( umask 077 && mkdir -p ${dir} && cat > ${dir}/script <<'${end}'`,
      `${script}${end}`,
      // the script goes once it ran: it may hold a file's new content
      `) && ${shellJoin(['sh', '-c', START, 'sh', jid, JSON.stringify(cmd ?? ''), '( sh "$d/script"; s=$?; rm -f -- "$d/script"; exit $s )'])}`,
    ].join('\n')
    env.readAhead?.changing()
    const started = await env.conn.exec(start, { become: env.become })
    if (started.rc !== 0) return notStarted(started.stderr)
    rememberJob(jid, (job) =>
      finish(appliedFrom({ rc: job.rc ?? 1, stdout: job.stdout ?? '', stderr: job.stderr ?? '', startUs: job.startUs ?? 0, endUs: job.endUs ?? 0 }, steps)),
    )
    return startedResult(jid, started.stdout.trim(), summary)
  }
}
