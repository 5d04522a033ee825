/** Python's ways of cutting text, for modules that edit files exactly as Ansible's Python modules do. */

/** str.splitlines(): every line break Python knows, no empty last line. */
export function pySplitlines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (lines.length && lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** file.readlines(): lines with their '\n' (the last one may lack it). */
export const pyReadlines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? []

/** A literal string as a regular expression (re.escape). */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
