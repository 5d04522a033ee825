/**
 * The background jobs this run started for modules other than command and shell (`async` with
 * `poll: 0`, engine/run/async-task.ts): how each job's output becomes the module's own outcome,
 * which async_status returns once the job has ended, as Ansible's does. A job another run started
 * has none here: async_status reads it as a command's (its rc and output).
 */
import type { ModuleOutcome } from './module-runner.js'
import type { AsyncJob } from '../modules/facts/async-job.js'

const finishers = new Map<string, (job: AsyncJob) => ModuleOutcome>()

export function rememberJob(jid: string, finish: (job: AsyncJob) => ModuleOutcome): void {
  finishers.set(jid, finish)
}

/** The module's outcome of a finished job this run started, else undefined. */
export const moduleJobOutcome = (job: AsyncJob): ModuleOutcome | undefined => finishers.get(job.jid)?.(job)
