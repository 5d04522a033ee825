/**
 * A failed task's result as text, for the plain and TTY output and JUnit: Ansible's
 * `FAILED! => {...}` with the message first, then stderr and stdout as indented blocks (a JSON line
 * of escaped output is unreadable), cut to their last lines with a note unless verbose. Results
 * arrive masked; the cut happens after masking, so it never splits a secret out of its mask.
 */

export const STREAM_LINES = 20
export const STREAM_CHARS = 2000
/** a longer value on the `{...}` line (a module's script as `cmd`) is cut unless verbose */
export const VALUE_CHARS = 300

const STREAMS = ['stdout', 'stderr', 'stdout_lines', 'stderr_lines']

/**
 * A recorded (masked) failure with Ansible's stdout_lines / stderr_lines, split here from its
 * stdout / stderr: the run masks the streams whole, so a secret spanning lines never shows in parts.
 */
export function withStreamLines(result: Record<string, unknown>): Record<string, unknown> {
  const out = { ...result }
  for (const k of ['stdout', 'stderr']) {
    const text = result[k]
    if (typeof text === 'string') out[`${k}_lines`] = text === '' ? [] : text.split(/\r?\n/)
  }
  return out
}

/**
 * JSON the way Ansible's callback prints it (Python's json.dumps with sort_keys): `, ` and `: `
 * between items, every nested mapping's keys sorted; the top mapping's in the order given (failureText's).
 */
export function pyJson(v: unknown, sorted = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => pyJson(x, true)).join(', ')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined)
    if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x, true)}`).join(', ')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

const more = (n: number, what: string) => `${n} more ${what}${n === 1 ? '' : 's'}; -v shows all`

/** The end of `text`: at most `maxLines` lines and `maxChars` characters, and a note on what was left out. */
export function cutTail(text: string, maxLines = STREAM_LINES, maxChars = STREAM_CHARS): { lines: string[]; note?: string } {
  const all = text.split('\n')
  const kept: string[] = []
  let used = 0
  for (let i = all.length - 1; i >= 0 && kept.length < maxLines; i--) {
    const line = all[i]!
    if (used + line.length > maxChars) {
      // a line too long for what is left: its end, if nothing is shown yet
      if (kept.length === 0) kept.unshift(`…${line.slice(line.length - maxChars)}`)
      break
    }
    kept.unshift(line)
    used += line.length + 1
  }
  const droppedLines = all.length - kept.length
  if (droppedLines > 0) return { lines: kept, note: `(${more(droppedLines, 'line')})` }
  if (kept[0]?.startsWith('…') && !all[0]!.startsWith('…')) return { lines: kept, note: `(${more(all[0]!.length - maxChars, 'character')})` }
  return { lines: kept }
}

/** A value for the `{...}` line: long strings cut (unless verbose). */
function short(v: unknown, verbose: boolean): unknown {
  if (typeof v === 'string') return verbose || v.length <= VALUE_CHARS ? v : `${v.slice(0, VALUE_CHARS)}… (${more(v.length - VALUE_CHARS, 'character')})`
  if (Array.isArray(v)) return v.map((x) => short(x, verbose))
  return v
}

/**
 * The `{...}` after `FAILED! =>` and the lines under it: msg (when it spans lines), stderr, stdout
 * as blocks; a stream the message already shows is not repeated.
 */
export function failureText(result: Record<string, unknown>, verbose: boolean): { json: string; lines: string[] } {
  const msg = typeof result.msg === 'string' ? result.msg : undefined
  const msgBlock = msg?.trim().includes('\n') ?? false
  const keys = Object.keys(result)
    .filter((k) => !STREAMS.includes(k) && !(k === 'msg' && msgBlock))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  const json = pyJson(Object.fromEntries(keys.map((k) => [k, short(result[k], verbose)])))
  const lines: string[] = []
  const block = (name: string, text: string) => {
    const { lines: body, note } = verbose ? { lines: text.split('\n'), note: undefined } : cutTail(text)
    lines.push(`  ${name}:`, ...(note ? [`    ... ${note}`] : []), ...body.map((l) => `    ${l}`))
  }
  if (msgBlock && msg) block('msg', msg.replace(/\s+$/, ''))
  for (const name of ['stderr', 'stdout']) {
    const text = typeof result[name] === 'string' ? (result[name] as string).replace(/\s+$/, '') : ''
    if (!text.trim()) continue
    const shown = verbose ? text : cutTail(text).lines.join('\n')
    if (msg?.includes(shown.replace(/^…/, '').trim())) continue
    block(name, text)
  }
  return { json, lines }
}

/** msg first, then rc and cmd (what failed and how), then the rest by name as Ansible sorts them. */
const rank = (k: string) => ({ msg: 0, rc: 1, cmd: 2 })[k] ?? 3

/** The whole failure as text for a report file: the `{...}` line and every block, nothing cut. */
export function failureDetail(result: Record<string, unknown>): string {
  const { json, lines } = failureText(result, true)
  return [json, ...lines].join('\n')
}
