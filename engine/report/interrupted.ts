/** What an interrupted run says it left undone (the CLI prints it on stderr, --json carries it too). */
import { heading, taskTitle } from './format.js'
import type { Interruption } from './types.js'

export function interruptedLines(i: Interruption): string[] {
  const lines = ['', heading(`INTERRUPTED (${i.reason})`)]
  for (const s of i.stopped) {
    const at = s.task.pos ? ` (${s.task.pos.file}:${s.task.pos.line})` : ''
    lines.push(`stopped: [${s.host}] ${taskTitle(s.task)}${at}: its remote commands were stopped`)
  }
  for (const s of i.notStarted) lines.push(`not started: [${s.host}] ${taskTitle(s.task)}`)
  if (i.stopped.length === 0) lines.push('stopped: no task was running')
  if (i.play !== undefined && i.hosts.length) {
    const after = i.task ? ` after ${taskTitle(i.task)}` : ''
    lines.push(`not run: the rest of play '${i.play}'${after}, on ${i.hosts.join(', ')}`)
  }
  if (i.playsNotRun.length) lines.push(`not run: play${i.playsNotRun.length > 1 ? 's' : ''} ${i.playsNotRun.map((p) => `'${p}'`).join(', ')}`)
  return lines
}

/** The exit code of a run ended by a signal: 128 + its number, as a shell reports it (130 for SIGINT). */
export function interruptedExitCode(reason: string): number {
  const n: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }
  return 128 + (n[reason] ?? 2)
}
