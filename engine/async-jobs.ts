/**
 * The background jobs this run started (`async`, engine/run/async-task.ts): how each job's output
 * becomes its module's own outcome, which the polling task or async_status returns once the job has
 * ended, as Ansible's do. A job another run started has none here: async_status reads it as a
 * command's (its rc and output).
 */
import type { ModuleOutcome } from './module-runner.js'
import type { AsyncJob } from '../modules/facts/async-job.js'

const finishers = new Map<string, (job: AsyncJob) => ModuleOutcome>()

export function rememberJob(jid: string, finish: (job: AsyncJob) => ModuleOutcome): void {
  finishers.set(jid, finish)
}

/** What Ansible's async_status action starts every result with. */
export const NO_OUTPUT = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }

/** The job's keys in every result read from it (its start, a poll, async_status). */
export const jobKeys = (job: Pick<AsyncJob, 'jid' | 'dir'>, finished: 0 | 1) => ({ ansible_job_id: job.jid, started: 1, finished, results_file: job.dir })

/** A finished job this run started: its module's outcome with the job's keys, else undefined. */
export function finishedModuleJob(job: AsyncJob): ModuleOutcome | undefined {
  const own = finishers.get(job.jid)?.(job)
  return own && { ...own, data: { ...NO_OUTPUT, ...own.data, ...jobKeys(job, 1) } }
}
