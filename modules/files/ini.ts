/**
 * ini_file's editing, pure and as community.general's ini_file (6.x) decides it. The file is read as
 * Python reads text: a UTF-8 BOM dropped, \r\n and \r read as \n. Whether it changed comes from the
 * edit itself, not from comparing texts, so a CRLF file that needs nothing is left as it is; one
 * that changes is written back with \n.
 *
 * Its rules, kept because files written by Ansible must stay unchanged under acplay:
 * - A section is the lines from its first "[name]" header (a line starting with it) to the next line
 *   starting with "["; without `section`, the lines before the first header.
 * - For state=present, a commented-out option ("#opt = x", ";opt") counts as the option: its value
 *   is taken back in place, and with `exclusive` the option's other lines, commented or not, go.
 * - Missing values go after the section's last line that is neither blank nor a comment; a missing
 *   section goes at the end of the file.
 * - An empty file starts with an empty line; a last line without "\n" gets one (a change).
 */

export interface IniArgs {
  /** undefined, null or '': the lines before the first section */
  section?: string | null
  option?: string
  values: readonly string[]
  present: boolean
  exclusive: boolean
  noExtraSpaces: boolean
  allowNoValue: boolean
}

export interface IniEdit {
  text: string
  changed: boolean
  /** Ansible's msg: OK, option changed, option added, section removed, section and option added, only section added */
  msg: string
}

// The lines before the first section are edited as a section of this name, which no line can
// start with (a line holds no "\n" but its last character).
const HEAD = '\n'
const BLANK_OR_COMMENT = /^[ \t]*([#;][^\n]*)?\n?$/

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

/** The option's line and its value (what follows "=" and blanks), or undefined. */
function optionLine(option: string, line: string, orCommented: boolean): { value: string } | undefined {
  const re = new RegExp(`^${orCommented ? '[#;]?' : ''}[ \\t]*${escapeRegex(option)}[ \\t]*(?:=|(?=\\n?$))[ \\t]*([^\\n]*)`)
  const m = re.exec(line)
  return m ? { value: m[1]! } : undefined
}

/** Lines with their "\n", as Python's universal newlines read them. */
function readLines(text: string): string[] {
  const plain = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  return plain.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** The edited text (`original` undefined: the file does not exist yet). */
export function editIni(original: string | undefined, a: IniArgs): IniEdit {
  const option = a.option
  const values = [...new Set(a.values)]
  if (option === undefined && values.length) throw new Error('value(s) given without option')
  const lines = original === undefined ? [] : readLines(original)
  let changed = false
  let msg = 'OK'
  if (lines.length === 0) lines.push('\n')
  if (!lines[lines.length - 1]!.endsWith('\n')) {
    lines[lines.length - 1] += '\n'
    changed = true
  }
  const section = a.section ? a.section : HEAD
  const all = [`[${HEAD}]`, ...lines, '[']
  let found = false
  let start = 0
  let end = 0
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.startsWith(`[${section}]`)) {
      found = true
      start = i
    } else if (found && all[i]!.startsWith('[')) {
      end = i
      break
    }
  }
  let sec = all.slice(start, end)
  const assignment = (v: string) => (a.noExtraSpaces ? `${option}=${v}\n` : `${option} = ${v}\n`)
  const touched = sec.map(() => false)
  const update = (i: number, line: string) => {
    if (sec[i] !== line) {
      changed = true
      msg = 'option changed'
    }
    sec[i] = line
    touched[i] = true
  }
  let noValueLine = false

  if (a.present && option) {
    // lines that already hold one of the values (or the bare option) are rewritten in place
    for (let i = 0; i < sec.length; i++) {
      const m = optionLine(option, sec[i]!, true)
      if (!m) continue
      if (values.includes(m.value)) {
        if (!m.value && a.allowNoValue) {
          update(i, `${option}\n`)
          noValueLine = true
        } else update(i, assignment(m.value))
        values.splice(values.indexOf(m.value), 1)
      } else if (!values.length && a.allowNoValue) {
        update(i, `${option}\n`)
        noValueLine = true
        break
      }
    }
  }
  if (a.present && a.exclusive && !a.allowNoValue && option) {
    // the option's other lines take the remaining values, then the rest go
    for (let i = 0; i < sec.length && values.length; i++) {
      if (!touched[i] && optionLine(option, sec[i]!, true)) update(i, assignment(values.shift()!))
    }
    for (let i = sec.length - 1; i > 0; i--) {
      if (!touched[i] && optionLine(option, sec[i]!, true)) {
        sec.splice(i, 1)
        touched.splice(i, 1)
        changed = true
        msg = 'option changed'
      }
    }
  }
  if (a.present) {
    for (let i = sec.length; i > 0; i--) {
      if (BLANK_OR_COMMENT.test(sec[i - 1]!)) continue
      if (option && values.length) {
        sec.splice(i, 0, ...values.map(assignment))
        msg = 'option added'
        changed = true
      } else if (option && a.allowNoValue && !noValueLine) {
        sec.splice(i, 0, `${option}\n`)
        msg = 'option added'
        changed = true
      }
      break
    }
  } else if (option) {
    const kept = sec.filter((l) => {
      const m = optionLine(option, l, false)
      return !m || (!a.exclusive && !values.includes(m.value))
    })
    if (kept.length !== sec.length) {
      changed = true
      msg = 'option changed'
      sec = kept
    }
  } else if (sec.length) {
    sec = []
    msg = 'section removed'
    changed = true
  }

  const out = [...all.slice(0, start), ...sec, ...all.slice(end)].slice(1, -1)
  if (!found && a.present) {
    out.push(`[${section}]\n`)
    msg = 'section and option added'
    if (option && values.length) out.push(...values.map(assignment))
    else if (option && a.allowNoValue) out.push(`${option}\n`)
    else msg = 'only section added'
    changed = true
  }
  return { text: out.join(''), changed, msg }
}
