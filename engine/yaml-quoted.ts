/**
 * PyYAML reads a quoted scalar's continuation lines at any indentation, so public roles write
 *
 *     msg: "Value of 'proto' \
 *     must be one of: ..."
 *
 * with the second line no deeper than `msg:`. The yaml package ends the scalar there ("Missing
 * closing quote"). Here such lines are indented to the opening quote's column: a quoted scalar folds
 * away the leading spaces of its continuation lines, so its value is unchanged; line numbers too.
 */
import { Lexer } from 'yaml'

// the lexer's markers that stand for no source text (yaml's cst.DOCUMENT, FLOW_END, SCALAR)
const VIRTUAL = new Set(['\x02', '\x18', '\x1f'])

/** Where the quoted scalar opening at `start` closes, read as PyYAML's scanner reads it; -1: never. */
function closingQuote(text: string, start: number): number {
  const q = text[start]
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]
    if (q === '"' && c === '\\') i++
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++
      else return i
    }
  }
  return -1
}

/** The first quoted scalar the yaml package cuts short, as [opening, closing] offsets. */
function firstCutShort(text: string): [number, number] | undefined {
  let offset = 0
  for (const token of new Lexer().lex(text)) {
    const start = offset
    if (!VIRTUAL.has(token)) offset += token.length
    if (token[0] !== '"' && token[0] !== "'") continue
    const end = closingQuote(text, start)
    if (end > start + token.length - 1) return [start, end]
  }
  return undefined
}

/** The text with every under-indented continuation line of a quoted scalar indented; undefined when none is. */
export function indentQuotedLines(text: string): string | undefined {
  let out = text
  for (let guard = 0; guard < 1000; guard++) {
    const cut = firstCutShort(out)
    if (!cut) return out === text ? undefined : out
    const [start, end] = cut
    const column = start - (out.lastIndexOf('\n', start - 1) + 1)
    const body = out.slice(start, end).replace(/\n( *)(?=[^ \n\r])/g, (m, spaces: string) => (spaces.length < column ? `\n${' '.repeat(column)}` : m))
    if (body === out.slice(start, end)) return out === text ? undefined : out
    out = out.slice(0, start) + body + out.slice(end)
  }
  return out
}
