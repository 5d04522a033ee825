/**
 * What Ansible appends to an error about a place in a playbook (AnsibleError._get_extended_error in
 * ansible/errors/__init__.py, 2.14): the position, and the offending line with the one before it,
 * in its layout, so a task's failure message reads as Ansible's. Not its guesses at YAML mistakes
 * that may follow (paragraphs of advice, which Ansible adds even to a quoted template's line).
 */
import { readFileSync } from 'node:fs'

const POSITION = (file: string, line: number, col: number) =>
  `The error appears to be in '${file}': line ${line}, column ${col}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`

/** Python's `\w+(\s+)?=(\s+)?[\w/-]+`: a k=v on the line before (Unicode word characters, as Python's re). */
const SHORTHAND = /[\p{L}\p{N}_]+\s*=\s*[\p{L}\p{N}_/-]+/u

/** `message` and, after a blank line, Ansible's context for `file`:`line`:`col` (1-based). */
export function withErrorContext(message: string, file: string, line: number, col: number): string {
  return `${message}\n\n${errorContext(file, line, col)}`
}

function errorContext(file: string, line: number, col: number): string {
  const out = POSITION(file, line, col)
  let lines: string[]
  try {
    // Python's readlines: each line keeps its newline
    lines = readFileSync(file, 'utf8').split(/(?<=\n)/)
  } catch {
    return `${out}\n(could not open file to display line)`
  }
  const at = errorLines(lines, line - 1)
  if (at === undefined) return `${out}\n(specified line no longer in file, maybe it changed?)`
  const [target, prev] = at
  if (!target) return out
  // a k=v on the line before: Ansible points there instead
  if (SHORTHAND.test(prev)) {
    const pos = prev.trimEnd().indexOf('=')
    return `${POSITION(file, line - 1, pos + 1)}\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${' '.repeat(pos)}^ here\n`
  }
  return `${out}\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${target.trimEnd()}\n${' '.repeat(Math.max(col - 1, 0))}^ here\n`
}

/** _get_error_lines_from_file: the line (past trailing blank ones, back to the last with text) and the one before it. */
function errorLines(lines: readonly string[], n: number): [string, string] | undefined {
  let i = Math.min(n, lines.length - 1)
  // Python's negative index reads from the end; past that, an IndexError
  const get = (k: number) => (k < 0 ? lines[lines.length + k] : lines[k])
  let target = get(i)
  while (target !== undefined && !target.trim()) target = get(--i)
  if (target === undefined) return undefined
  return [target, i > 0 ? (lines[i - 1] ?? '') : '']
}
