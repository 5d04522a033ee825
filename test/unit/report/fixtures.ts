/** Results as the run loop hands them to reporters (already masked), for the reporter unit tests. */
import type { HostResult, Reporter, RunSummary } from '../../../engine/report/types.js'
import { recap, exitCode } from '../../../engine/report/recap.js'

// what command returns for `ls /nonexistent-dir` (Ansible's keys and values)
export const LS = {
  cmd: ['ls', '/nonexistent-dir'],
  rc: 2,
  stdout: '',
  stderr: "ls: cannot access '/nonexistent-dir': No such file or directory",
  stdout_lines: [],
  stderr_lines: ["ls: cannot access '/nonexistent-dir': No such file or directory"],
  start: '2026-12-02 18:25:06.084709',
  end: '2026-12-02 18:25:06.100791',
  delta: '0:00:00.016082',
  changed: true,
  msg: 'non-zero return code',
}

export const result = (host: string, name: string, status: HostResult['status'], more: Partial<HostResult> = {}): HostResult => ({
  host,
  task: { name, role: 'web', pos: { file: '/p/roles/web/tasks/main.yml', line: 3, col: 3 } },
  status,
  changes: [],
  durationMs: 12,
  ...more,
})

/** Drives a reporter through a whole run of one play; returns the summary it saw. */
export async function drive(
  reporter: Reporter,
  hosts: string[],
  results: HostResult[],
  opts: { check?: boolean; items?: HostResult[] } = {},
): Promise<RunSummary> {
  reporter.onRunStart?.({ playbook: 'site.yml', check: !!opts.check, diff: true })
  reporter.onPlayStart?.({ name: 'web & <db>', hosts })
  for (const i of opts.items ?? []) reporter.onItemResult?.(i)
  for (const r of results) {
    reporter.onTaskStart?.(r.task, [r.host])
    reporter.onHostResult?.(r)
    reporter.onTaskEnd?.(r.task)
  }
  const recaps = recap(hosts, results)
  const summary: RunSummary = { recap: recaps, exitCode: exitCode(recaps), durationMs: 1234, check: !!opts.check, results, connections: [] }
  await reporter.onRunEnd?.(summary)
  return summary
}
