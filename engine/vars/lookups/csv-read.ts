/**
 * Rows of a CSV text as Python's csv.reader reads them with the excel dialect and a delimiter
 * (what the csvfile lookup uses): `"` quotes a field, `""` inside is one quote, a quoted field may
 * span lines, text after a closing quote is kept (non-strict), an empty line is an empty row.
 * Lines end as str.splitlines() ends them (the codecs reader the lookup reads through).
 */
import { LookupError } from './types.js'

const LINE = /[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])?/g

type State = 'record' | 'field' | 'in' | 'quoted' | 'quote' | 'crnl'

export function csvRows(text: string, delimiter: string): string[][] {
  if ([...delimiter].length !== 1) throw new LookupError('"delimiter" must be a 1-character string')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let state: State = 'record'
  const save = () => {
    row.push(field)
    field = ''
  }
  const end = () => {
    rows.push(row)
    row = []
    state = 'record'
  }
  for (const line of text.match(LINE) ?? []) {
    if (line === '') continue
    for (const c of line) {
      const nl = c === '\n' || c === '\r'
      switch (state) {
        case 'record':
        case 'field':
          if (nl) {
            if (state === 'field') save()
            state = 'crnl'
          } else if (c === '"') state = 'quoted'
          else if (c === delimiter) {
            save()
            state = 'field'
          } else {
            field += c
            state = 'in'
          }
          break
        case 'in':
          if (nl) {
            save()
            state = 'crnl'
          } else if (c === delimiter) {
            save()
            state = 'field'
          } else field += c
          break
        case 'quoted':
          if (c === '"') state = 'quote'
          else field += c
          break
        case 'quote':
          if (c === '"') {
            field += c
            state = 'quoted'
          } else if (c === delimiter) {
            save()
            state = 'field'
          } else if (nl) {
            save()
            state = 'crnl'
          } else {
            field += c
            state = 'in'
          }
          break
        case 'crnl':
          if (!nl) throw new LookupError("new-line character seen in unquoted field - do you need to open the file with newline=''?")
      }
    }
    // the end of a line: a quoted field goes on on the next one
    if (state === 'quoted') continue
    if (state === 'in' || state === 'field' || state === 'quote') save()
    end()
  }
  if (state === 'quoted') {
    save()
    rows.push(row)
  }
  return rows
}
