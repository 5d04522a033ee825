/**
 * `acplay report merge PART.json... [-o MERGED.json] [--json]`: joins the audit reports of a
 * fleet's parts (engine/report/merge.ts), prints the joined PLAY RECAP and, for check runs, the
 * drift table, and exits as one run over all the hosts would: `acplay check`'s codes for check
 * parts (0 in sync, 2 drift, 1 a task failed, 4 unreachable), ansible-playbook's for real runs.
 * A refused merge exits 1 with the file and the reason.
 */
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { driftTableLines } from '../report/drift-table.js'
import { asAuditReport, driftOfReport, mergeAuditReports, mergedExitCode, mergeError, type ReportPart } from '../report/merge.js'
import { recapLines } from '../report/recap.js'
import { writeReportFile } from '../report/write-report.js'

type Run = <A extends unknown[]>(fn: (...a: A) => Promise<number>) => (...a: A) => Promise<void>
interface MergeFlags {
  output?: string
  json?: boolean
}

export function reportCommand(run: Run): Command {
  const report = new Command('report').description('work with audit reports (--report FILE.json)')
  report.addCommand(
    new Command('merge')
      .description("join the audit reports of a fleet's parts (--slice K/N) into one; exit as one run over all the hosts would")
      .argument('<reports...>', 'audit reports (JSON) of the parts')
      .option('-o, --output <file>', 'write the merged report here')
      .option('--json', 'print the merged report (JSON) on stdout instead of the recap')
      .exitOverride()
      .action(run(async (files: string[], f: MergeFlags) => mergeFiles(files, f))),
  )
  return report
}

function readPart(file: string): ReportPart {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw mergeError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw mergeError(`not JSON: ${e instanceof Error ? e.message : String(e)}`, file)
  }
  return { file, report: asAuditReport(data, file) }
}

export async function mergeFiles(files: string[], f: MergeFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const merged = mergeAuditReports(files.map(readPart))
  const json = `${JSON.stringify(merged, null, 2)}\n`
  if (f.output) writeReportFile(f.output, json)
  if (f.json) {
    out.write(json)
    return mergedExitCode(merged)
  }
  const heading = `PLAY RECAP (${merged.parts} reports merged) `
  out.write(`${heading}${'*'.repeat(Math.max(3, 80 - heading.length))}\n`)
  for (const l of recapLines(merged.recap)) out.write(`${l}\n`)
  if (merged.check) {
    const title = 'DRIFT (check mode) '
    out.write(`\n${title}${'*'.repeat(80 - title.length)}\n`)
    for (const l of driftTableLines(driftOfReport(merged))) out.write(`${l}\n`)
  }
  for (const w of merged.warnings) out.write(`[WARNING]: ${w}\n`)
  return mergedExitCode(merged)
}
