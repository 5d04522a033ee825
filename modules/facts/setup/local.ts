/**
 * Local facts (facts/system/local.py): each `*.fact` in fact_path, run when executable, read
 * otherwise, parsed as JSON, else as INI (Python's configparser: lower-cased option names, DEFAULT
 * section, %(name)s interpolation); what cannot be loaded is a message in its place, as Ansible does.
 */
import type { Collector, Facts } from './raw.js'

class IniError extends Error {}

/** configparser.ConfigParser().read_file + get(): {section: {option: value}}; throws IniError. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections = new Map<string, Map<string, string[]>>()
  const defaults = new Map<string, string[]>()
  let current: Map<string, string[]> | undefined
  let last: { values: string[]; indent: number } | undefined
  for (const rawLine of text.split(/\r?\n/)) {
    const stripped = rawLine.trim()
    const indent = rawLine.length - rawLine.trimStart().length
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      // an empty line inside a multi-line value is kept (configparser's empty_lines_in_values)
      if (stripped === '' && last) last.values.push('')
      continue
    }
    if (last && current && indent > last.indent) {
      last.values.push(stripped)
      continue
    }
    last = undefined
    const sec = /^\[([^\]]+)\]/.exec(stripped)
    if (sec) {
      const name = sec[1]!
      if (name === 'DEFAULT') current = defaults
      else {
        if (sections.has(name)) throw new IniError(`section '${name}' already exists`)
        current = new Map()
        sections.set(name, current)
      }
      continue
    }
    if (!current) throw new IniError('file contains no section headers')
    const m = /^(.*?)\s*[=:]\s*(.*)$/.exec(stripped)
    if (!m || m[1] === '') throw new IniError(`source contains parsing errors: ${stripped}`)
    const key = m[1]!.toLowerCase()
    if (current.has(key)) throw new IniError(`option '${key}' in section already exists`)
    const values = [m[2]!]
    current.set(key, values)
    last = { values, indent }
  }
  const join = (v: string[]) => {
    while (v.length > 1 && v[v.length - 1] === '') v.pop()
    return v.join('\n').trim()
  }
  const out: Record<string, Record<string, string>> = {}
  for (const [name, opts] of sections) {
    const merged = new Map<string, string>()
    for (const [k, v] of defaults) merged.set(k, join([...v]))
    for (const [k, v] of opts) merged.set(k, join([...v]))
    const section: Record<string, string> = {}
    for (const k of merged.keys()) section[k] = interpolate(merged, merged.get(k)!, 1)
    out[name] = section
  }
  return out
}

function interpolate(vars: Map<string, string>, value: string, depth: number): string {
  if (depth > 10) throw new IniError('interpolation too deep')
  return value.replace(/%(%|\(([^)]*)\)s)/g, (_m, what: string, name: string | undefined) => {
    if (what === '%') return '%'
    const v = vars.get(name!.toLowerCase())
    if (v === undefined) throw new IniError(`bad interpolation variable reference: ${name}`)
    return interpolate(vars, v, depth + 1)
  })
}

function parseFact(out: string, fn: string): unknown {
  try {
    return JSON.parse(out)
  } catch {
    try {
      return parseIni(out)
    } catch (e) {
      if (e instanceof IniError) return `error loading facts as JSON or ini - please check content: ${fn}`
      throw e
    }
  }
}

export const local: Collector = {
  name: 'local',
  reads: (o) => [{ local: o.factPath }],
  collect(raw) {
    const dir = raw.localPath ?? ''
    const local: Facts = {}
    for (const fact of raw.local ?? []) {
      const base = fact.name.replace(/\.fact/g, '')
      const fn = `${dir}/${fact.name}`
      if (fact.error !== undefined) local[base] = `Could not stat fact (${fn}): ${fact.error}`
      else if (fact.exec) {
        const [rc, out, err] = fact.exec
        local[base] =
          rc === null
            ? `Could not execute fact script (${fn}): ${err}`
            : rc !== 0
              ? `Failure executing fact script (${fn}), rc: ${rc}, err: ${err}`
              : parseFact(out, fn)
      } else local[base] = parseFact(fact.text ?? '', fn)
    }
    return { local }
  },
}
