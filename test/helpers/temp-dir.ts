/** A scratch directory for one test file (or suite, or test): removed when it ends. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'

/** `/tmp/acplay-PREFIX-XXXXXX`, removed after the suite (or test) that made it. */
export function testDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `acplay-${prefix}-`))
  after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
