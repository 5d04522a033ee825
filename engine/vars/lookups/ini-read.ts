/**
 * An INI text as Python's configparser.ConfigParser reads it for the ini lookup (its defaults, not
 * ansible.cfg's reader in engine/config/ansible-cfg.ts: no inline comments here): `[section]`
 * headers, `key = value` or `key: value`, indented continuation lines, `#`/`;` comment lines,
 * [DEFAULT] seen from every section, option names lower-cased unless case-sensitive, `%(name)s`
 * and `%%` interpolation when read, a duplicate section or option in one text an error.
 */
import { LookupError } from './types.js'

type Options = Map<string, string | null>

const DEFAULT = 'DEFAULT'
const MAX_DEPTH = 10

export class IniConfig {
  private readonly defaults: Options = new Map()
  private readonly sections = new Map<string, Options>()

  constructor(private readonly opts: { allowNoValue: boolean; caseSensitive: boolean }) {}

  private key(name: string): string {
    return this.opts.caseSensitive ? name : name.toLowerCase()
  }

  /** Reads `text` into the sections (a later text adds to them, as another read() does). */
  read(text: string): void {
    const added = new Set<string>()
    const option = this.opts.allowNoValue ? /^(.*?)\s*(?:([=:])\s*(.*))?$/ : /^(.*?)\s*([=:])\s*(.*)$/
    const bad: string[] = []
    let section: string | undefined
    let cur: Options | undefined
    let name: string | undefined
    let lines: string[] | undefined
    let indent = Number.MAX_SAFE_INTEGER
    // values are joined once the text is read (continuation lines add to them)
    const read: [Options, string, string[] | null][] = []
    // configparser reads the text through StringIO: lines end at \n only (a \r before it is stripped with the value)
    for (const [i, line] of text.split('\n').entries()) {
      const comment = /^\s*[#;]/.test(line)
      const value = comment ? '' : line.trim()
      if (!value) {
        // an empty line belongs to a value that goes on (a comment line does not end one)
        if (!comment && lines) lines.push('')
        continue
      }
      const level = line.search(/\S/)
      if (cur && name !== undefined && level > indent) {
        if (!lines) throw new LookupError(`option '${name}' in section '${section}' has no value to continue (line ${i + 1})`)
        lines.push(value)
        continue
      }
      indent = level
      const header = /^\[(.+)\]/.exec(value)
      if (header) {
        section = header[1]!
        if (section !== DEFAULT && added.has(section)) throw new LookupError(`section '${section}' already exists (line ${i + 1})`)
        added.add(section)
        if (section === DEFAULT) cur = this.defaults
        else {
          cur = this.sections.get(section) ?? new Map()
          this.sections.set(section, cur)
        }
        name = undefined
        lines = undefined
        continue
      }
      if (!cur) throw new LookupError(`File contains no section headers (line ${i + 1}: ${JSON.stringify(line)})`)
      const m = option.exec(value)
      if (!m?.[1]) {
        bad.push(`[line ${String(i + 1).padStart(2)}]: ${JSON.stringify(line)}`)
        name = undefined
        lines = undefined
        continue
      }
      name = this.key(m[1].trimEnd())
      if (added.has(`${section}\0${name}`)) throw new LookupError(`option '${name}' in section '${section}' already exists (line ${i + 1})`)
      added.add(`${section}\0${name}`)
      lines = m[2] === undefined ? undefined : [m[3]!.trim()]
      read.push([cur, name, lines ?? null])
    }
    for (const [o, k, v] of read) o.set(k, v === null ? null : v.join('\n').trimEnd())
    if (bad.length) throw new LookupError(`Source contains parsing errors: ${bad.join(', ')}`)
  }

  has(section: string): boolean {
    return section === DEFAULT || this.sections.has(section)
  }

  /** The section's options over [DEFAULT]'s, in configparser's order (the defaults' first). */
  private merged(section: string): Options {
    return new Map([...this.defaults, ...(section === DEFAULT ? [] : (this.sections.get(section) ?? []))])
  }

  /** An option's value, interpolated; null when it has none (allow_no_value); undefined when there is no such option. */
  get(section: string, option: string): string | null | undefined {
    const all = this.merged(section)
    const name = this.key(option)
    if (!all.has(name)) return undefined
    const v = all.get(name)!
    return v === null ? null : this.interpolate(section, name, v, all, 1)
  }

  /** Every option of the section (with [DEFAULT]'s), interpolated (no value reads as ''). */
  items(section: string): [string, string][] {
    const all = this.merged(section)
    return [...all].map(([k, v]) => [k, v === null ? '' : this.interpolate(section, k, v, all, 1)])
  }

  /** BasicInterpolation: `%%` is `%`, `%(name)s` the option `name` of the same section (or [DEFAULT]). */
  private interpolate(section: string, option: string, value: string, all: Options, depth: number): string {
    if (depth > MAX_DEPTH) throw new LookupError(`interpolation of option '${option}' in section '${section}' is nested more than ${MAX_DEPTH} deep`)
    let out = ''
    let rest = value
    while (rest) {
      const p = rest.indexOf('%')
      if (p < 0) return out + rest
      out += rest.slice(0, p)
      rest = rest.slice(p)
      if (rest[1] === '%') {
        out += '%'
        rest = rest.slice(2)
        continue
      }
      const ref = rest[1] === '(' ? /^%\(([^)]+)\)s/.exec(rest) : null
      if (!ref) throw new LookupError(`option '${option}' in section '${section}': '%' must be followed by '%' or '(name)s', found: ${JSON.stringify(rest)}`)
      rest = rest.slice(ref[0].length)
      const v = all.get(this.key(ref[1]!))
      if (v === undefined || v === null)
        throw new LookupError(`option '${option}' in section '${section}' refers to '${ref[1]}', which is not an option with a value there`)
      out += v.includes('%') ? this.interpolate(section, option, v, all, depth + 1) : v
    }
    return out
  }
}
