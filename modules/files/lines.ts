/**
 * lineinfile's editing, pure and exactly as Ansible's lineinfile.py (present/absent): the LAST
 * match of regexp (or search_string) is replaced; without a match the line is inserted after the
 * last insertafter match / before the last insertbefore match (first with firstmatch), else at EOF.
 * Lines are matched without their line ending, which gives Python's `$` semantics.
 */
import { expand, pyRegex } from './py-regex.js'

export interface LineArgs {
  line?: string
  regexp?: RegExp
  searchString?: string
  insertafter?: string
  insertbefore?: string
  backrefs?: boolean
  firstmatch?: boolean
}

export const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? []
const bare = (l: string) => l.replace(/[\r\n]+$/, '')

export function present(text: string, a: LineArgs): { text: string; changed: boolean; msg: string } {
  const lines = splitLines(text)
  const line = a.line ?? ''
  let insertafter = a.insertafter
  const insertbefore = a.insertbefore
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF'
  const insPattern =
    insertafter && insertafter !== 'EOF' && insertafter !== 'BOF'
      ? pyRegex(insertafter, 'insertafter')
      : insertbefore && insertbefore !== 'BOF'
        ? pyRegex(insertbefore, 'insertbefore')
        : undefined
  const index: [number, number] = [-1, -1]
  let match: RegExpExecArray | boolean | null = null
  let exact = false
  if (a.regexp) {
    for (let i = 0; i < lines.length; i++) {
      const m = a.regexp.exec(bare(lines[i]!))
      if (m) {
        index[0] = i
        match = m
        if (a.firstmatch) break
      }
    }
  }
  if (a.searchString !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(a.searchString)) {
        index[0] = i
        match = true
        if (a.firstmatch) break
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (bare(lines[i]!) === line) {
        index[0] = i
        exact = true
      } else if (insPattern?.test(bare(lines[i]!))) {
        if (insertafter) index[1] = i + 1
        if (insertbefore) index[1] = i
        if (a.firstmatch) break
      }
    }
  }
  const add = (at: number) => {
    lines.splice(at, 0, `${line}\n`)
    return { text: lines.join(''), changed: true, msg: 'line added' }
  }
  const same = { text, changed: false, msg: '' }
  const endsNl = () => lines.length > 0 && /[\r\n]$/.test(lines[lines.length - 1]!)
  if (index[0] !== -1) {
    let newLine = a.backrefs && match && typeof match !== 'boolean' ? expand(match, line) : line
    if (!newLine.endsWith('\n')) newLine += '\n'
    if (!a.regexp && a.searchString === undefined && !match && !exact) {
      if (insertafter && insertafter !== 'EOF') {
        if (lines.length && !endsNl()) lines[lines.length - 1] += '\n'
        if (lines.length === index[1]) return bare(lines[index[1] - 1]!) !== line ? add(lines.length) : same
        return bare(lines[index[1]]!) !== line ? add(index[1]!) : same
      }
      if (insertbefore && insertbefore !== 'BOF') {
        if (index[1]! <= 0) return bare(lines[index[1]!] ?? '') !== line ? add(index[1]!) : same
        return bare(lines[index[1]! - 1]!) !== line ? add(index[1]!) : same
      }
      return same
    }
    if (lines[index[0]] !== newLine) {
      lines[index[0]!] = newLine
      return { text: lines.join(''), changed: true, msg: 'line replaced' }
    }
    return same
  }
  if (a.backrefs) return same
  if (insertbefore === 'BOF' || insertafter === 'BOF') return add(0)
  if (insertafter === 'EOF' || index[1] === -1) {
    if (lines.length && !endsNl()) lines.push('\n')
    return add(lines.length)
  }
  if (insertafter && index[1] !== -1) {
    if (lines.length === index[1]) return bare(lines[index[1] - 1]!) !== line ? add(lines.length) : same
    return line !== bare(lines[index[1]!]!) ? add(index[1]!) : same
  }
  return add(index[1]!)
}

export function absent(text: string, a: LineArgs): { text: string; found: number } {
  const lines = splitLines(text)
  const hit = (l: string) => (a.regexp ? a.regexp.test(bare(l)) : a.searchString !== undefined ? l.includes(a.searchString) : bare(l) === a.line)
  const kept = lines.filter((l) => !hit(l))
  return { text: kept.join(''), found: lines.length - kept.length }
}
