/**
 * npm run docs (with gen-module-docs.ts): writes docs/errors.md from ERROR_CODES in engine/errors.ts.
 * `--check` only compares (exit 1 when the committed file is stale); test/unit/doc asserts the same.
 */
import { fileURLToPath } from 'node:url'
import { ERROR_CODES } from '../engine/errors.js'
import { writeOrCheck } from './generated-doc.js'

export const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url))

export function generatedErrorsMd(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, d]) => `| \`${code}\` | ${d.exit} | ${'unreachable' in d ? 'unreachable' : 'failed'} | ${d.meaning} |`)
  return `${[
    '# Error codes',
    '',
    '<!-- Generated from ERROR_CODES in engine/errors.ts by `npm run docs` (scripts/gen-error-docs.ts). Do not edit:',
    '     a test fails when this file differs from the generated output. -->',
    '',
    'Every error acplay reports starts with its code, then where it was found and what is wrong:',
    "`E_PLAYBOOK: site.yml:12:7: ... (task 'x', host y)`. Errors in the playbook, the inventory or",
    'the options stop the run before any host is touched, with the exit code below. An error while a',
    'task runs on a host fails that task on that host (or makes the host unreachable), and the run',
    "goes on; its exit code is then the recap's (0 ok, 2 a host failed, 4 a host was unreachable).",
    '',
    '| Code | Exit | A task with it is | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n')}\n`
}

function main(argv: string[]): number {
  return writeOrCheck(ERRORS_MD, generatedErrorsMd(), argv, `${Object.keys(ERROR_CODES).length} codes`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2))
