/**
 * npm run docs: writes docs/modules.md from the built-in modules' specs.
 * `--check` only compares (exit 1 when the committed file is stale); test/unit/doc asserts the same.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { modulesMarkdown } from '../engine/doc/markdown.js'
import { builtinModules } from '../modules/index.js'

export const MODULES_MD = fileURLToPath(new URL('../../docs/modules.md', import.meta.url))

export const generatedModulesMd = (): string => modulesMarkdown(builtinModules)

function main(argv: string[]): number {
  const text = generatedModulesMd()
  if (argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(MODULES_MD, 'utf8')
    } catch {}
    if (current === text) return 0
    process.stderr.write('docs/modules.md is stale: run `npm run docs`\n')
    return 1
  }
  mkdirSync(dirname(MODULES_MD), { recursive: true })
  writeFileSync(MODULES_MD, text)
  process.stdout.write(`wrote ${MODULES_MD} (${Object.keys(builtinModules).length} modules)\n`)
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2))
