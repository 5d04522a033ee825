/**
 * npm run docs: writes docs/modules.md from the built-in modules' specs.
 * `--check` only compares (exit 1 when the committed file is stale); test/unit/doc asserts the same.
 */
import { fileURLToPath } from 'node:url'
import { modulesMarkdown } from '../engine/doc/markdown.js'
import { builtinModules } from '../modules/index.js'
import { writeOrCheck } from './generated-doc.js'

export const MODULES_MD = fileURLToPath(new URL('../../docs/modules.md', import.meta.url))

export const generatedModulesMd = (): string => modulesMarkdown(builtinModules)

function main(argv: string[]): number {
  return writeOrCheck(MODULES_MD, generatedModulesMd(), argv, `${Object.keys(builtinModules).length} modules`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2))
