/** Writes a report file whole or not at all (a CI job never reads half an audit). */
import { renameSync, writeFileSync } from 'node:fs'

export function writeReportFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode: 0o644 })
  renameSync(tmp, file)
}
