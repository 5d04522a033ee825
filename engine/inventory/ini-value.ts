/**
 * How Ansible's INI plugin reads a line: host lines are split like Python's
 * `shlex.split(line, comments=True)`, and every value goes through `ast.literal_eval`, falling
 * back to the plain string. So `port=22` is a number, `flag=True` a boolean, but `flag=true`,
 * `yes` and `0644` stay strings, and `x="'5'"` is the string 5.
 */
import { pyLiteral } from '../vars/py-literal.js'

/** POSIX shlex split with `#` comments. Throws on an unclosed quote or a trailing backslash. */
export function shlexSplit(line: string): string[] {
  const out: string[] = []
  let tok = ''
  let inTok = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote === "'") {
      if (c === "'") quote = null
      else tok += c
    } else if (quote === '"') {
      if (c === '"') quote = null
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) tok += line[++i]
      else tok += c
    } else if (/\s/.test(c)) {
      if (inTok) out.push(tok)
      tok = ''
      inTok = false
    } else if (c === '#') {
      break // shlex ends the line at '#', even in the middle of a word
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('No escaped character')
      tok += line[++i]
      inTok = true
    } else if (c === '"' || c === "'") {
      quote = c
      inTok = true
    } else {
      tok += c
      inTok = true
    }
  }
  if (quote) throw new Error('No closing quotation')
  if (inTok) out.push(tok)
  return out
}

/** Ansible's INI value rule: a Python literal if it is one, else the string as written. */
export function iniValue(text: string): unknown {
  try {
    return pyLiteral(text)
  } catch {
    return text
  }
}
