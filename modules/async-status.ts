/**
 * async_status: how a job started by a task with `async` (and `poll: 0`) is doing, or (mode
 * cleanup) its job directory removed. A finished job returns the command's own result (rc,
 * stdout, stderr, start, end, delta, cmd) with `finished: 1`, or, for another module's job this run
 * started, that module's result (engine/async-jobs.ts); a failed job fails this task.
 */
import { finishedModuleJob, jobKeys, NO_OUTPUT } from '../engine/async-jobs.js'
import { ModuleFailure } from '../engine/errors.js'
import { interpretExec } from './command/exec-plan.js'
import { asyncJob, type AsyncJob } from './facts/async-job.js'
import { defineModule } from './types.js'

/** The result of a finished job, as command/shell would have returned it. */
export function finishedJob(job: AsyncJob): { failed: boolean; msg?: string; data: Record<string, unknown> } {
  const out = { rc: job.rc ?? 1, stdout: job.stdout ?? '', stderr: job.stderr ?? '', startUs: job.startUs ?? 0, endUs: job.endUs ?? job.startUs ?? 0 }
  const r = interpretExec((job.cmd ?? '') as string | string[], out)
  return { failed: r.failed, msg: r.msg, data: { ...r.data, ...jobKeys(job, 1) } }
}

export const asyncStatus = defineModule({
  name: 'async_status',
  aliases: ['ansible.builtin.async_status'],
  summary: 'Obtain status of an asynchronous task',
  description:
    'Reports on a job started by a task with `async` and `poll: 0`: `finished: 0` while it runs, then the result of the command or module it ran ' +
    '(a module job started by another run reads as a command: its rc and output). ' +
    'Run it as the same user (become) that started the job. `mode: cleanup` removes the job directory.',
  params: {
    jid: { type: 'str', required: true, description: 'Job or task identifier (the `ansible_job_id` the async task returned).' },
    mode: { type: 'str', choices: ['status', 'cleanup'], default: 'status', description: 'status: report on the job; cleanup: remove its directory.' },
  },
  returns: {
    ansible_job_id: 'the job id',
    finished: '1 when the job ended, else 0',
    started: '1',
    erased: 'cleanup: the job directory removed',
    rc: "the command's exit code, once finished (and its stdout, stderr, start, end, delta, cmd); a module job: that module's return values",
  },
  examples: `
- command: /usr/local/bin/long-migration
  async: 600
  poll: 0
  register: migration
- async_status:
    jid: "{{ migration.ansible_job_id }}"
  register: job
  until: job.finished
  retries: 60
  delay: 10
`,
  async plan(p, ctx) {
    if (!/^[\w.-]+$/.test(p.jid)) throw new ModuleFailure(`not a job id: ${JSON.stringify(p.jid)}`)
    const job = await ctx.fact(asyncJob, p.jid)
    if (p.mode === 'cleanup') {
      if (job.state === 'missing') return { kind: 'ok', reason: `job ${p.jid} has no directory`, data: { ansible_job_id: p.jid, erased: job.dir } }
      return {
        kind: 'change',
        changes: [{ summary: `remove ${job.dir}`, commands: [{ argv: ['rm', '-rf', '--', job.dir] }] }],
        data: { ansible_job_id: p.jid, erased: job.dir, changed: false },
      }
    }
    if (job.state === 'missing') throw new ModuleFailure(`could not find job ${p.jid} (looked in ${job.dir})`)
    if (job.state === 'running') return { kind: 'ok', reason: `job ${p.jid} is running`, data: { ...NO_OUTPUT, ...jobKeys(job, 0) } }
    const own = finishedModuleJob(job)
    if (own) {
      if (own.status === 'failed') throw new ModuleFailure(own.msg ?? 'the job failed', own.data)
      if (own.status !== 'changed') return { kind: 'ok', reason: own.reason ?? `job ${p.jid} finished`, data: own.data }
      return { kind: 'change', changes: own.changes.map((c) => ({ ...c, commands: [] })), data: own.data }
    }
    const r = finishedJob(job)
    if (r.failed) throw new ModuleFailure(r.msg ?? 'non-zero return code', r.data)
    // the job's command changed the host (as command reports it): a change that runs nothing more
    return { kind: 'change', changes: [{ summary: `job ${p.jid} finished`, commands: [] }], data: r.data }
  },
  // cleanup removes acplay's own bookkeeping: ok, as Ansible reports it
  interpret: (p, out) => (p.mode === 'cleanup' ? { failed: out.rc !== 0, changed: false, msg: out.stderr, data: {} } : { failed: false, data: {} }),
})
