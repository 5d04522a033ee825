/**
 * Python's textwrap.wrap. `wrap` is as Jinja's wordwrap calls it (no tab expansion, whitespace kept);
 * `pyWrap` with textwrap's defaults, as Ansible's Display wraps its warnings.
 */
const WS = '[\\t\\n\\x0b\\x0c\\r ]'
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]'
const WP = `[\\p{L}\\p{N}_!"'&.,?]`
const LT = '[\\p{L}_]'
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WP})-{2,}(?=[\\p{L}\\p{N}_])|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}[\\p{L}\\p{N}_])))`,
  'u',
)
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`)

export function wrap(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean, dropWhitespace = true): string[] {
  // Python refuses these too; here they would never end the loop below
  if (!(width >= 1)) throw new RangeError(`invalid width ${width} (must be > 0)`)
  const chunks = text.split(breakOnHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c !== '' && c !== undefined)
  chunks.reverse()
  const lines: string[] = []
  const blank = (s: string) => s.trim() === ''
  // every chunks[chunks.length - 1] below is guarded by a chunks.length check
  while (chunks.length) {
    const line: string[] = []
    let len = 0
    if (dropWhitespace && blank(chunks[chunks.length - 1]!) && lines.length) chunks.pop()
    while (chunks.length && len + chunks[chunks.length - 1]!.length <= width) {
      const c = chunks.pop()!
      line.push(c)
      len += c.length
    }
    if (chunks.length && chunks[chunks.length - 1]!.length > width) {
      const spaceLeft = width < 1 ? 1 : width - len
      if (breakLongWords) {
        let end = spaceLeft
        const chunk = chunks[chunks.length - 1]!
        if (breakOnHyphens && chunk.length > spaceLeft) {
          const hyphen = chunk.lastIndexOf('-', spaceLeft - 1)
          if (hyphen > 0 && [...chunk.slice(0, hyphen)].some((c) => c !== '-')) end = hyphen + 1
        }
        line.push(chunk.slice(0, end))
        chunks[chunks.length - 1] = chunk.slice(end)
      } else if (!line.length) line.push(chunks.pop()!)
    }
    if (dropWhitespace && line.length && blank(line[line.length - 1]!)) line.pop()
    if (line.length) lines.push(line.join(''))
  }
  return lines
}

/** textwrap.wrap(text, width) with its defaults: tabs expanded to 8 columns, each whitespace character made a space. */
export function pyWrap(text: string, width: number, dropWhitespace = true): string[] {
  let col = 0
  let expanded = ''
  for (const c of text) {
    if (c === '\t') {
      const n = 8 - (col % 8)
      expanded += ' '.repeat(n)
      col += n
    } else {
      expanded += c
      col = c === '\n' || c === '\r' ? 0 : col + 1
    }
  }
  return wrap(expanded.replace(/[\t\n\x0b\x0c\r]/g, ' '), width, true, true, dropWhitespace)
}
