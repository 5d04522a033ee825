/** Filters that serialize, parse or search text: JSON, YAML, regular expressions, hashes. */
import { createHash } from 'node:crypto'
import { Document, isCollection, isPair, parse as parseYaml, visit } from 'yaml'
import { arg, type Filter } from './filter-types.js'
import { isMapping, pystr } from './py.js'
import { groupRef, pyRegex, pySub } from './py-regex.js'
import { templateError } from './undefined.js'

const asciiOnly = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep)
  if (isMapping(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeysDeep(v[k])]),
    )
  return v
}

/** Python json.dumps: `{"a": 1, "b": [1, 2]}` on one line (", " and ": " separators), ASCII-escaped. */
function pyJson(v: unknown, indent: number | null, sortKeys: boolean): string {
  const data = sortKeys ? sortKeysDeep(v) : v
  if (indent) return asciiOnly(JSON.stringify(data, null, indent) ?? 'null')
  const dump = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(dump).join(', ')}]`
    if (isMapping(x))
      return `{${Object.entries(x)
        .map(([k, y]) => `${JSON.stringify(k)}: ${dump(y)}`)
        .join(', ')}}`
    return x === undefined ? 'null' : JSON.stringify(x)
  }
  return asciiOnly(dump(data))
}

/** PyYAML-like dump: sorted keys, list items not indented under their key. */
function toYaml(v: unknown, indent: number, flowLeaves: boolean): string {
  const doc = new Document(v, { sortMapEntries: true })
  if (flowLeaves) {
    // default_flow_style=None: collections that hold only scalars are written inline
    visit(doc, {
      Collection(_k, node) {
        if (node.items.every((i: any) => (isPair(i) ? !isCollection(i.value) : !isCollection(i)))) node.flow = true
      },
    })
  }
  return doc.toString({ indent, indentSeq: false, flowCollectionPadding: false, lineWidth: 0 })
}

function parseFailure(what: string, e: unknown): never {
  throw templateError(`${what}: ${(e as Error).message.split('\n')[0]}`)
}

const reOpts = (kw: Record<string, unknown>) => ({ ignorecase: kw.ignorecase, multiline: kw.multiline })

export const dataFilters: Record<string, Filter> = {
  to_json: (v, args, kw) => pyJson(v, arg<number | null>(args, kw, 0, 'indent', null), Boolean(arg(args, kw, 1, 'sort_keys', false))),
  to_nice_json: (v, args, kw) => pyJson(v, arg(args, kw, 0, 'indent', 4), Boolean(arg(args, kw, 1, 'sort_keys', true))),
  from_json: (v) => {
    try {
      return JSON.parse(pystr(v))
    } catch (e) {
      return parseFailure('from_json: invalid JSON', e)
    }
  },
  to_yaml: (v, args, kw) => toYaml(v, Number(arg(args, kw, 0, 'indent', 2)), true),
  to_nice_yaml: (v, args, kw) => toYaml(v, Number(arg(args, kw, 0, 'indent', 4)), false),
  from_yaml: (v) => {
    try {
      return parseYaml(pystr(v)) ?? null
    } catch (e) {
      return parseFailure('from_yaml: invalid YAML', e)
    }
  },
  regex_replace: (v, args, kw) => {
    const re = pyRegex(String(arg(args, kw, 0, 'regex', '')), reOpts(kw))
    return pySub(pystr(v), re, String(arg(args, kw, 1, 'replace', '')), Number(arg(args, kw, 2, 'count', 0)))
  },
  regex_search: (v, args, kw) => {
    const m = pyRegex(String(args[0]), reOpts(kw), false).exec(pystr(v))
    if (!m) return null
    if (args.length < 2) return m[0]
    return args.slice(1).map((ref) => {
      const g = groupRef(String(ref))
      return (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? null
    })
  },
  regex_findall: (v, args, kw) => {
    const re = pyRegex(String(args[0]), reOpts(kw))
    return [...pystr(v).matchAll(re)].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? '')))
  },
  regex_escape: (v) => pystr(v).replace(/[.*+?^${}()|[\]\\\-/#&~ ]/g, '\\$&'),
  hash: (v, args, kw) =>
    createHash(String(arg(args, kw, 0, 'hashtype', 'sha1')))
      .update(pystr(v))
      .digest('hex'),
  checksum: (v) => createHash('sha1').update(pystr(v)).digest('hex'),
  md5: (v) => createHash('md5').update(pystr(v)).digest('hex'),
  sha1: (v) => createHash('sha1').update(pystr(v)).digest('hex'),
}
