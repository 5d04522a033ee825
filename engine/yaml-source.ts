/**
 * YAML files as position-aware ASTs, for the playbook and the inventory loaders: every node maps
 * back to file:line:col, so load errors can point at the offending key or value. Parsed as YAML 1.1 (Ansible's `yes`/`no`), minus the 1.1
 * types that surprise in playbooks (timestamps, sexagesimal numbers, `0644` as decimal 420).
 */
import { readFileSync } from 'node:fs'
import {
  parseDocument,
  LineCounter,
  visit,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type YAMLMap,
  type Pair,
  type Scalar,
  type ScalarTag,
  type Tags,
} from 'yaml'
import { type AcplayError, playbookError, yamlError, type Location } from './errors.js'
import { warningLine } from './report/format.js'
import { decryptIfVaulted, revealVaultValues, VAULT_TAG } from './vault/files.js'
import { indentQuotedLines } from './yaml-quoted.js'
import { asPyyaml, type YamlTag } from './yaml-scalars.js'
import { setEntry, unsafeKeys } from './vars/unsafe.js'

/** Where a node is: the file, and its 1-based line and column. */
export interface Pos {
  file: string
  line: number
  col: number
}

export interface Source {
  file: string
  doc: Document
  lc: LineCounter
  /** the text has `!unsafe` values (toJS marks them) */
  unsafeTags?: boolean
}

const DROPPED = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary'])

// Scalars as PyYAML reads them (yaml-scalars.ts): 0640 is the int 416, as Ansible gets it (a file
// mode takes the int as its bits; a template makes it the text '416'); but 1:20 is not sexagesimal 80.
function customTags(tags: Tags): YamlTag[] {
  const own = asPyyaml(tags).filter((t) => !DROPPED.has(t.tag) && t.format !== 'TIME')
  return [...own, VAULT_TAG, UNSAFE_TAG]
}

/** `!unsafe 'text {{ not a template }}'`: a string never templated (marked where toJS makes its container). */
const UNSAFE_TAG: ScalarTag = { tag: '!unsafe', resolve: (s: string) => s }

/** A whole-file vault is decrypted first; `!vault` values are decrypted once parsed (errors name file:line). */
export function parseYaml(fileText: string, file: string): Source {
  const decrypted = decryptIfVaulted(fileText, file)
  const { vaulted } = decrypted
  let text = decrypted.text
  let lc = new LineCounter()
  const parse = (t: string, counter: LineCounter) => parseDocument(t, { lineCounter: counter, version: '1.1', customTags, uniqueKeys: false })
  let doc = parse(text, lc)
  let err = doc.errors[0]
  // a quoted scalar's continuation lines as PyYAML reads them (yaml-quoted.ts): parsed again only then
  const indented = err?.code === 'MISSING_CHAR' && /quote/.test(err.message) ? indentQuotedLines(text) : undefined
  if (indented !== undefined) {
    const lc2 = new LineCounter()
    const doc2 = parse(indented, lc2)
    if (doc2.errors.length === 0) [text, lc, doc, err] = [indented, lc2, doc2, undefined]
  }
  if (err) {
    const { line, col } = lc.linePos(err.pos[0])
    const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw yamlError(msg, { file, line, col })
  }
  dropDuplicateKeys(doc, lc, file)
  revealVaultValues(doc, lc, file, vaulted, text)
  return { file, doc, lc, unsafeTags: text.includes('!unsafe') }
}

/**
 * A key given twice in one mapping: Ansible's loader keeps the last value and warns (its
 * DUPLICATE_YAML_DICT_KEY default), in its words, on stderr as its display does; the earlier pairs
 * are dropped here so every reader sees the mapping as Ansible does.
 */
const duplicateWarned = new Set<string>()

function dropDuplicateKeys(doc: Document, lc: LineCounter, file: string): void {
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, (typeof map.items)[number]>()
      const keep = map.items.filter((pair) => {
        if (!isScalar(pair.key)) return true
        const key = String(pair.key.value)
        const earlier = first.get(key)
        if (!earlier) {
          first.set(key, pair)
          return true
        }
        const { line, col } = lc.linePos(map.range?.[0] ?? 0)
        const msg = `While constructing a mapping from ${file}, line ${line}, column ${col}, found a duplicate dict key (${key}). Using last defined value only.`
        // wrapped as Ansible's display wraps it, and once per text as it shows a warning (a file read twice warns once)
        if (!duplicateWarned.has(msg)) {
          duplicateWarned.add(msg)
          process.stderr.write(`${warningLine(msg)}\n`)
        }
        // a Python dict: the key keeps its first place, with the last value
        earlier.value = pair.value
        return false
      })
      if (keep.length !== map.items.length) map.items = keep
    },
  })
}

/** A YAML data file (vars_files, include_vars, -e @file) as plain values. */
export const readYamlData = (text: string, file: string): unknown => {
  const src = parseYaml(text, file)
  return toJS(src, src.doc.contents as Node | null)
}

/** Sync on purpose: static imports are read while a task list is walked, and files are small. */
export function readYaml(file: string): Source {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw playbookError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file })
  }
  return parseYaml(text, file)
}

export function posOf(src: Source, node: Node | Pair | null | undefined): Pos {
  const offset =
    (node && 'range' in node && node.range ? node.range[0] : undefined) ?? (node && 'key' in node ? (node.key as Node | null)?.range?.[0] : undefined) ?? 0
  const { line, col } = src.lc.linePos(offset)
  return { file: src.file, line, col }
}

export const at = (src: Source, node: Node | null | undefined, task?: string): Location => ({ ...posOf(src, node), ...(task ? { task } : {}) })

export function fail(src: Source, node: Node | null | undefined, msg: string, task?: string): AcplayError {
  return playbookError(msg, at(src, node, task))
}

/** Follows an alias (`*name`) to the node it names. */
export function deref(src: Source, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(src.doc) as Node | undefined) ?? null
  return (node as Node | null) ?? null
}

export interface Entry {
  key: string
  keyNode: Node
  value: Node | null
}

/** A mapping's entries in order, with `<<: *anchor` merges expanded (explicit keys win). */
export function entries(src: Source, map: YAMLMap): Entry[] {
  const out: Entry[] = []
  const merged: Entry[] = []
  for (const pair of map.items) {
    const keyNode = deref(src, pair.key)
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode)
    const value = deref(src, pair.value)
    if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
      const sources = isSeq(value) ? value.items.map((n) => deref(src, n)) : [value]
      for (const m of sources) if (isMap(m)) merged.push(...entries(src, m))
      continue
    }
    out.push({ key, keyNode: keyNode as Node, value })
  }
  const own = new Set(out.map((e) => e.key))
  return [...out, ...merged.filter((e, i) => !own.has(e.key) && merged.findIndex((x) => x.key === e.key) === i)]
}

export function toJS(src: Source, node: Node | null): unknown {
  if (!node) return null
  const value = node.toJS(src.doc, { maxAliasCount: 1000 })
  if (src.unsafeTags) markUnsafeTags(node, value)
  return value
}

/**
 * Each `!unsafe` value's key, marked in the mapping or list made from its parent node, and the keys
 * of the containers holding it (Ansible's test looks inside containers: engine/vars/unsafe.ts).
 * Returns whether `value` holds one.
 */
function markUnsafeTags(node: Node | null, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const container = value as Record<string, unknown>
  const mark = (key: string, child: unknown) => {
    const unsafe = (isScalar(child) && child.tag === '!unsafe') || markUnsafeTags(child as Node | null, container[key])
    if (unsafe) setEntry(container, key, container[key], true)
  }
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) mark(String(pair.key.value), pair.value)
  } else if (isSeq(node)) for (const [i, child] of node.items.entries()) mark(String(i), child)
  return !!unsafeKeys(container)?.size
}

export const isNull = (node: Node | null): boolean => node === null || (isScalar(node) && node.value === null)

export function describeNode(node: Node | null): string {
  if (isNull(node)) return 'nothing'
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  const v = (node as Scalar).value
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v
}
