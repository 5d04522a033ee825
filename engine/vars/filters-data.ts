/** Filters that serialize, parse or search text: JSON, YAML, regular expressions. */
import { arg, type Filter } from './filter-types.js'
import { jsonImpl } from './filters-jinja.js'
import { PyDatetime } from './filters-time.js'
import { floatRepr, isMapping, PyFloat, PyObj, pystr, pyType, truthy, tuple } from './py.js'
import { groupRef, pyRegex, pySub, reEscape } from './py-regex.js'
import { dumpYaml, loadYaml, loadYamlAll } from './py-yaml.js'
import { strict, templateError, Undef } from './undefined.js'

/** A JSON string as Python writes it: ASCII only, \uXXXX for the rest (unless ensure_ascii=False). */
function jsonString(s: string, ascii = true): string {
  const json = JSON.stringify(s)
  return ascii ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json
}

/** Python's json.dumps (Ansible's encoder): `{"a": 1, "b": [1, 2]}`, floats as `5.0`, dates ISO. */
export function pyJson(v: unknown, indent: number | null, sortKeys: boolean, itemSep = indent === null ? ', ' : ',', ascii = true): string {
  const nl = (depth: number) => (indent === null ? '' : `\n${' '.repeat(indent * depth)}`)
  const dump = (x: unknown, depth: number): string => {
    if (x instanceof Undef) strict(x)
    if (x === null || x === undefined) return 'null'
    if (x === true) return 'true'
    if (x === false) return 'false'
    if (typeof x === 'string') return jsonString(x, ascii)
    if (typeof x === 'number') {
      if (Number.isInteger(x)) return pystr(x)
      return Number.isNaN(x) ? 'NaN' : !Number.isFinite(x) ? (x > 0 ? 'Infinity' : '-Infinity') : floatRepr(x)
    }
    if (x instanceof PyFloat) return floatRepr(x.v)
    if (x instanceof PyDatetime) return jsonString(x.isoformat())
    if (Array.isArray(x)) {
      if (!x.length) return '[]'
      return `[${x.map((y) => nl(depth + 1) + dump(y, depth + 1)).join(itemSep)}${nl(depth)}]`
    }
    if (isMapping(x)) {
      const keys = sortKeys ? Object.keys(x).sort() : Object.keys(x)
      if (!keys.length) return '{}'
      return `{${keys.map((k) => `${nl(depth + 1)}${jsonString(k, ascii)}: ${dump(x[k], depth + 1)}`).join(itemSep)}${nl(depth)}}`
    }
    if (x instanceof PyObj) throw templateError(`Object of type ${x.pyType} is not JSON serializable`)
    throw templateError(`Object of type ${pyType(x)} is not JSON serializable`)
  }
  return dump(v, 0)
}
jsonImpl.pyJson = pyJson

const reOpts = (kw: Record<string, unknown>) => ({ ignorecase: kw.ignorecase, multiline: kw.multiline })

function fromJson(s: string): unknown {
  try {
    return JSON.parse(s, (_k, v) => v)
  } catch (e) {
    throw templateError(`from_json: invalid JSON: ${(e as Error).message.split('\n')[0]}`)
  }
}

export const dataFilters: Record<string, Filter> = {
  to_json: (v, args, kw) => {
    const indent = arg<number | null>(args, kw, 0, 'indent', null)
    return pyJson(v, indent, truthy(arg(args, kw, 1, 'sort_keys', false)), undefined, truthy(kw.ensure_ascii ?? true))
  },
  to_nice_json: (v, args, kw) =>
    pyJson(v, Number(arg(args, kw, 0, 'indent', 4)), truthy(arg(args, kw, 1, 'sort_keys', true)), ',', truthy(kw.ensure_ascii ?? true)),
  from_json: (v) => fromJson(pystr(v)),
  to_yaml: (v, args, kw) =>
    dumpYaml(v, {
      indent: Number(arg(args, kw, 0, 'indent', 2)),
      flow: kw.default_flow_style ?? null,
      width: kw.width,
      sortKeys: truthy(kw.sort_keys ?? true),
    }),
  to_nice_yaml: (v, args, kw) =>
    dumpYaml(v, { indent: Number(arg(args, kw, 0, 'indent', 4)), flow: false, width: kw.width, sortKeys: truthy(kw.sort_keys ?? true) }),
  from_yaml: (v) => (typeof v === 'string' ? loadYaml(v) : v),
  from_yaml_all: (v) => (typeof v === 'string' ? loadYamlAll(v) : v),
  regex_replace: (v, args, kw) => {
    const re = pyRegex(pystr(arg(args, kw, 0, 'pattern', '')), reOpts(kw))
    return pySub(pystr(v), re, pystr(arg(args, kw, 1, 'replacement', '')), Number(arg(args, kw, 2, 'count', 0)))
  },
  regex_search: (v, args, kw) => {
    const m = pyRegex(pystr(args[0]), reOpts(kw), false).exec(pystr(v))
    const groups = args.slice(1).map((ref) => groupRef(pystr(ref)))
    if (!m) return null
    if (!groups.length) return m[0]
    return groups.map((g) => (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? null)
  },
  regex_findall: (v, args, kw) => {
    const re = pyRegex(pystr(args[0]), { ignorecase: arg(args, kw, 2, 'ignorecase', false), multiline: arg(args, kw, 1, 'multiline', false) })
    return [...pystr(v).matchAll(re)].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : tuple(m.slice(1).map((g) => g ?? ''))))
  },
  regex_escape: (v, args, kw) => {
    const type = arg(args, kw, 0, 're_type', 'python')
    const s = pystr(v)
    if (type === 'python') return reEscape(s)
    if (type === 'posix_basic') return s.replace(/[\].[^$*\\]/g, '\\$&')
    if (type === 'posix_extended') throw templateError(`Regex type (${type}) not yet implemented`)
    throw templateError(`Invalid regex type (${pystr(type)})`)
  },
}
