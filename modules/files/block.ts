/**
 * blockinfile's editing, pure and as Ansible's blockinfile.py: the block between the LAST begin and
 * the LAST end marker line is replaced (or removed); without both markers it is inserted after the
 * last line matching insertafter / before the last matching insertbefore (EOF/BOF allowed), else at
 * the end. Lines keep their own endings; marker lines compare with their "\n".
 */
import { pyRegex } from './py-regex.js'

export interface BlockArgs {
  present: boolean
  block: string
  /** "# {mark} ANSIBLE MANAGED BLOCK" */
  marker: string
  markerBegin: string
  markerEnd: string
  insertafter?: string
  insertbefore?: string
  prependNewline?: boolean
  appendNewline?: boolean
}

/** Python's bytes.splitlines(keepends=True): \n, \r\n and \r end a line. */
const splitKeep = (text: string): string[] => text.match(/[^\n\r]*(?:\r\n|\n|\r)|[^\n\r]+$/g) ?? []
const bare = (l: string) => l.replace(/(?:\r\n|\n|\r)$/, '')

export const markerLine = (a: BlockArgs, mark: string) => `${a.marker.split('{mark}').join(mark)}\n`

/** The new text (`original` undefined: the file does not exist yet). */
export function editBlock(original: string | undefined, a: BlockArgs): string {
  const lines = original === undefined ? [] : splitKeep(original)
  let insertafter = a.insertafter
  const insertbefore = a.insertbefore
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF'
  const insertre =
    insertafter !== undefined && insertafter !== 'EOF'
      ? pyRegex(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pyRegex(insertbefore, 'insertbefore')
        : undefined
  const m0 = markerLine(a, a.markerBegin)
  const m1 = markerLine(a, a.markerEnd)
  let blocklines: string[] = []
  if (a.present && a.block) {
    const block = a.block.endsWith('\n') ? a.block : `${a.block}\n`
    blocklines = [m0, ...splitKeep(block), m1]
  }
  let n0: number | undefined
  let n1: number | undefined
  lines.forEach((l, i) => {
    if (l === m0) n0 = i
    if (l === m1) n1 = i
  })
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined
    if (insertre) {
      if (insertre.multiline) {
        const text = original ?? ''
        const m = insertre.exec(text)
        if (m) n0 = countNl(text, insertafter !== undefined ? m.index + m[0].length : m.index)
      } else {
        lines.forEach((l, i) => {
          if (insertre.test(bare(l))) n0 = i
        })
      }
      if (n0 === undefined) n0 = lines.length
      else if (insertafter !== undefined) n0 += 1
    } else if (insertbefore !== undefined) n0 = 0
    else n0 = lines.length
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1)
  else {
    lines.splice(n1, n0 - n1 + 1)
    n0 = n1
  }
  if (n0 > 0 && !/[\r\n]$/.test(lines[n0 - 1]!)) lines[n0 - 1] += '\n'
  if (a.prependNewline && a.present && n0 !== 0 && lines[n0 - 1] !== '\n') {
    lines.splice(n0, 0, '\n')
    n0 += 1
  }
  lines.splice(n0, 0, ...blocklines)
  if (a.appendNewline && a.present) {
    const after = n0 + blocklines.length
    if (after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n')
  }
  return lines.join('')
}

const countNl = (text: string, end: number) => (text.slice(0, end).match(/\n/g) ?? []).length
