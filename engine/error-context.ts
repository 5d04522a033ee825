/**
 * What Ansible appends to an error about a place in a playbook (AnsibleError._get_extended_error in
 * ansible/errors/__init__.py, 2.14): the position, the offending line and the one before it, and its
 * guesses at common YAML mistakes, word for word, so a task's failure message reads as Ansible's.
 */
import { readFileSync } from 'node:fs'

const POSITION = (file: string, line: number, col: number) =>
  `The error appears to be in '${file}': line ${line}, column ${col}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`

const AND_SHORTHAND = "There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n"

const LEADING_TAB = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`

const UNQUOTED_VARIABLE = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`

const DICT = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`

const UNQUOTED_COLON = `This one looks easy to fix. There seems to be an extra unquoted colon in the line
and this is confusing the parser. It was only expecting to find one free
colon. The solution is just add some quotes around the colon, or quote the
entire line after the first colon.

For instance, if the original line was:

    copy: src=file.txt dest=/path/filename:with_colon.txt

It can be written as:

    copy: src=file.txt dest='/path/filename:with_colon.txt'

Or:

    copy: 'src=file.txt dest=/path/filename:with_colon.txt'
`

const PARTIALLY_QUOTED = `This one looks easy to fix. It seems that there is a value started
with a quote, and the YAML parser is expecting to see the line ended
with the same kind of quote. For instance:

    when: "ok" in result.stdout

Could be written as:

   when: '"ok" in result.stdout'

Or equivalently:

   when: "'ok' in result.stdout"
`

const UNBALANCED_QUOTES = `We could be wrong, but this one looks like it might be an issue with
unbalanced quotes. If starting a value with a quote, make sure the
line ends with the same set of quotes. For instance this arbitrary
example:

    foo: "bad" "wolf"

Could be written as:

    foo: '"bad" "wolf"'
`

/** Python's `\w+(\s+)?=(\s+)?[\w/-]+`: a k=v on the line before (Unicode word characters, as Python's re). */
const SHORTHAND = /[\p{L}\p{N}_]+\s*=\s*[\p{L}\p{N}_/-]+/u

/** `message` and, after a blank line, Ansible's context for `file`:`line`:`col` (1-based). */
export function withErrorContext(message: string, file: string, line: number, col: number): string {
  return `${message}\n\n${errorContext(file, line, col)}`
}

function errorContext(file: string, line: number, col: number): string {
  let out = POSITION(file, line, col)
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
  if (SHORTHAND.test(prev)) {
    const pos = prev.trimEnd().indexOf('=')
    out = POSITION(file, line - 1, pos + 1)
    out += `\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${' '.repeat(pos)}^ here\n\n${AND_SHORTHAND}`
  } else {
    out += `\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${target.trimEnd()}\n${' '.repeat(Math.max(col - 1, 0))}^ here\n`
  }
  if (target.includes('\t')) out += LEADING_TAB
  return out + guess(target, col)
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

/** Ansible's guess at the mistake, from the offending line. */
function guess(target: string, col: number): string {
  if (target.includes('{{') && target.includes('}}') && (!target.includes('"{{') || !target.includes("'{{"))) return UNQUOTED_VARIABLE
  const stripped = target.replaceAll(' ', '')
  if (stripped.includes(':{{') && stripped.includes('}}')) return DICT
  if (target.length > 1 && target.length > col && target[col] === ':' && target.split(':').length > 2) return UNQUOTED_COLON
  const parts = target.split(':')
  if (parts.length < 2) return ''
  const middle = parts[1]!.trim()
  const opened = (q: string) => middle.startsWith(q) && !middle.endsWith(q)
  const count = (q: string) => target.split(q).length - 1
  const quote = (c: string | undefined) => c === '"' || c === "'"
  // Python's precedence: (a and b and c and d) or e
  const unbalanced = (middle.length > 0 && quote(middle[0]) && quote(middle.at(-1)) && count("'") > 2) || count('"') > 2
  return (opened("'") || opened('"') ? PARTIALLY_QUOTED : '') + (unbalanced ? UNBALANCED_QUOTES : '')
}
