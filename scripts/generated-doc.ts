/** A generated doc file: written by `npm run docs`, or with `--check` compared (exit 1 when the committed file is stale). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'

export function writeOrCheck(file: string, text: string, argv: string[], what: string): number {
  if (argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(file, 'utf8')
    } catch {}
    if (current === text) return 0
    process.stderr.write(`docs/${basename(file)} is stale: run \`npm run docs\`\n`)
    return 1
  }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  process.stdout.write(`wrote ${file} (${what})\n`)
  return 0
}
