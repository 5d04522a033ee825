/**
 * The reporters of a run from its flags: one for the terminal (TTY, plain or --json), the drift
 * table after a check run's recap, and one file reporter per `--report FILE.json|FILE.xml`.
 */
import { extname } from 'node:path'
import { optionError } from '../errors.js'
import { auditJsonReporter } from '../report/audit-json.js'
import { driftTableReporter } from '../report/drift-table.js'
import { jsonReporter } from '../report/json.js'
import { junitReporter } from '../report/junit.js'
import { plainReporter } from '../report/plain.js'
import type { Reporter } from '../report/types.js'
import type { RunOptions } from '../run/options.js'

const FILE_REPORTERS: Record<string, (file: string) => Reporter> = { '.json': auditJsonReporter, '.xml': junitReporter }

/** Fails fast (exit 5) on a report file we cannot write in a known format, before any host is touched. */
export function reportFiles(f: Record<string, unknown>): string[] {
  const files = (f.report as string[] | undefined) ?? []
  for (const file of files) {
    if (!FILE_REPORTERS[extname(file).toLowerCase()]) throw optionError(`--report ${file}: the file name must end in .json (audit) or .xml (JUnit)`)
  }
  return files
}

export async function reportersFor(
  f: Record<string, unknown> & { verbose: number },
  opts: RunOptions,
  out: NodeJS.WriteStream = process.stdout,
): Promise<Reporter[]> {
  const files = reportFiles(f).map((file) => FILE_REPORTERS[extname(file).toLowerCase()]!(file))
  if (f.json) return [jsonReporter(out), ...files]
  const tty = !!out.isTTY
  // listr2 is loaded only for a terminal: CI and pipes do not pay for it at start-up
  const main = tty
    ? (await import('../report/tty.js')).ttyReporter({ verbosity: f.verbose, diff: opts.diff })
    : plainReporter({ verbosity: f.verbose, diff: opts.diff, out })
  return [main, ...(opts.check ? [driftTableReporter({ out, color: tty })] : []), ...files]
}
