/**
 * YAML as Ansible's filters do it with PyYAML: `dumpYaml` writes what yaml.dump writes (sorted
 * keys, its choice of plain / single / double quoted scalars, flow style for collections of
 * scalars when default_flow_style is None, lines folded at width 80, `...` after a lone scalar);
 * `loadYaml` reads YAML 1.1 as PyYAML does (yes/on are booleans, 0755 is octal, 1.0 is a float).
 */
import { parse, parseAllDocuments, type ScalarTag, type Tags } from 'yaml'
import { asPyyaml, type YamlTag } from '../yaml-scalars.js'
import { floatRepr, isMapping, mkFloat, PyFloat, pystr, pyType } from './py.js'
import { strict, templateError, Undef } from './undefined.js'

// ---- dumping ------------------------------------------------------------------------------------

type Node =
  | { kind: 'scalar'; value: string; plainImplicit: boolean }
  | { kind: 'seq'; items: Node[]; flow: boolean }
  | { kind: 'map'; pairs: Array<[Node, Node]>; flow: boolean }

const BOOL_1_1 = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/
const FLOAT_1_1 =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/
const INT_1_1 = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/
const NULL_1_1 = /^(?:~|null|Null|NULL|)$/
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/

/** Would this text, written plain, read back as something other than a string? */
function resolvesToNonString(s: string): boolean {
  const c = s[0] ?? ''
  if (s === '' || NULL_1_1.test(s)) return true
  if ('yYnNtTfFoO'.includes(c) && BOOL_1_1.test(s)) return true
  if ('-+0123456789.'.includes(c) && (FLOAT_1_1.test(s) || INT_1_1.test(s))) return true
  if (c === '<' && s === '<<') return true
  if (c === '=' && s === '=') return true
  if ('0123456789'.includes(c) && TIMESTAMP.test(s)) return true
  return false
}

function pyFloatYaml(n: number): string {
  if (Number.isNaN(n)) return '.nan'
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf'
  const v = floatRepr(n).toLowerCase()
  return !v.includes('.') && v.includes('e') ? v.replace('e', '.0e') : v
}

function represent(v: unknown, flowDefault: boolean | null, sortKeys = true): Node {
  if (v instanceof Undef) strict(v)
  if (typeof v === 'string') return { kind: 'scalar', value: v, plainImplicit: !resolvesToNonString(v) }
  if (v === null || v === undefined) return { kind: 'scalar', value: 'null', plainImplicit: true }
  if (typeof v === 'boolean') return { kind: 'scalar', value: v ? 'true' : 'false', plainImplicit: true }
  if (typeof v === 'number') return { kind: 'scalar', value: Number.isInteger(v) ? pystr(v) : pyFloatYaml(v), plainImplicit: true }
  if (v instanceof PyFloat) return { kind: 'scalar', value: pyFloatYaml(v.v), plainImplicit: true }
  const leaf = (n: Node) => n.kind === 'scalar'
  if (Array.isArray(v)) {
    const items = v.map((x) => represent(x, flowDefault, sortKeys))
    return { kind: 'seq', items, flow: flowDefault ?? items.every(leaf) }
  }
  if (isMapping(v)) {
    // PyYAML's sort_keys (True unless a to_yaml / to_nice_yaml caller says otherwise): else as inserted
    const keys = sortKeys ? Object.keys(v).sort() : Object.keys(v)
    const pairs = keys.map((k): [Node, Node] => [represent(k, flowDefault, sortKeys), represent(v[k], flowDefault, sortKeys)])
    return { kind: 'map', pairs, flow: flowDefault ?? pairs.every(([a, b]) => leaf(a) && leaf(b)) }
  }
  throw templateError(`cannot represent an object: ${pyType(v)}`)
}

interface Analysis {
  empty: boolean
  multiline: boolean
  flowPlain: boolean
  blockPlain: boolean
  singleQuoted: boolean
}

const BREAKS = '\r\n\x85\u2028\u2029'
const isBreak = (c: string | undefined) => c !== undefined && BREAKS.includes(c)
/** libyaml's IS_BLANKZ: space, tab, a break, or the end */
const isBlankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c)
/** libyaml's IS_PRINTABLE (no astral characters, no NEL, no BOM) */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
}

/** libyaml's yaml_emitter_analyze_scalar: which styles may write this text. */
function analyze(s: string): Analysis {
  if (!s) return { empty: true, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true }
  let blockInd = false
  let flowInd = false
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  if (s.startsWith('---') || s.startsWith('...')) blockInd = flowInd = true
  const chars = [...s]
  let precededByWs = true
  let followedByWs = isBlankz(chars[1])
  let prevSpace = false
  let prevBreak = false
  chars.forEach((ch, i) => {
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true
      if (ch === '?' || ch === ':') {
        flowInd = true
        if (followedByWs) blockInd = true
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true
      if (ch === ':') {
        flowInd = true
        if (followedByWs) blockInd = true
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true
    }
    if (!isPrintable(ch)) special = true
    if (isBreak(ch)) lineBreaks = true
    if (ch === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (prevBreak) breakSpace = true
      prevSpace = true
      prevBreak = false
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (prevSpace) spaceBreak = true
      prevSpace = false
      prevBreak = true
    } else prevSpace = prevBreak = false
    precededByWs = isBlankz(ch)
    followedByWs = isBlankz(chars[i + 2])
  })
  let flowPlain = true
  let blockPlain = true
  let singleQuoted = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false
  if (breakSpace) flowPlain = blockPlain = singleQuoted = false
  if (spaceBreak || special) flowPlain = blockPlain = singleQuoted = false
  if (lineBreaks) flowPlain = blockPlain = false
  if (flowInd) flowPlain = false
  if (blockInd) blockPlain = false
  return { empty: false, multiline: lineBreaks, flowPlain, blockPlain, singleQuoted }
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
}

/** The emitter Ansible's yaml.dump runs (libyaml's, through CSafeDumper), for plain data. */
class Emitter {
  out = ''
  private column = 0
  private whitespace = true
  private indention = true
  private indent: number | null = null
  private indents: Array<number | null> = []
  private flowLevel = 0

  constructor(
    private readonly bestIndent: number,
    private readonly bestWidth: number,
  ) {}

  private write(data: string): void {
    this.out += data
    this.column += data.length
  }

  private increaseIndent(flow = false, indentless = false): void {
    this.indents.push(this.indent)
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0
    else if (!indentless) this.indent += this.bestIndent
  }

  private indicator(ind: string, needWs: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWs ? ind : ` ${ind}`
    this.whitespace = whitespace
    this.indention = this.indention && indention
    this.write(data)
  }

  writeIndent(): void {
    const indent = this.indent ?? 0
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak()
    if (this.column < indent) this.write(' '.repeat(indent - this.column))
    this.whitespace = true
    this.indention = true
  }

  private lineBreak(data = '\n'): void {
    this.whitespace = true
    this.indention = true
    this.out += data
    this.column = 0
  }

  node(n: Node, ctx: { sequence?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    if (n.kind === 'scalar') {
      this.increaseIndent(true)
      this.scalar(n, !!ctx.simpleKey)
      this.indent = this.indents.pop()!
    } else if (n.kind === 'seq') {
      if (this.flowLevel || n.flow || n.items.length === 0) this.flowSeq(n)
      else this.blockSeq(n, !!ctx.mapping)
    } else if (this.flowLevel || n.flow || n.pairs.length === 0) this.flowMap(n)
    else this.blockMap(n)
  }

  private checkSimpleKey(n: Node): boolean {
    if (n.kind === 'scalar') return !analyze(n.value).multiline && Buffer.byteLength(n.value) <= 128
    return n.kind === 'seq' ? n.items.length === 0 : n.pairs.length === 0
  }

  private flowSeq(n: Extract<Node, { kind: 'seq' }>): void {
    this.indicator('[', true, true)
    this.flowLevel++
    this.increaseIndent(true)
    n.items.forEach((item, i) => {
      if (i) this.indicator(',', false)
      if (this.column > this.bestWidth) this.writeIndent()
      this.node(item, { sequence: true })
    })
    this.indent = this.indents.pop()!
    this.flowLevel--
    this.indicator(']', false)
  }

  private flowMap(n: Extract<Node, { kind: 'map' }>): void {
    this.indicator('{', true, true)
    this.flowLevel++
    this.increaseIndent(true)
    n.pairs.forEach(([k, v], i) => {
      if (i) this.indicator(',', false)
      if (this.column > this.bestWidth) this.writeIndent()
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true })
        this.indicator(':', false)
      } else {
        this.indicator('?', true)
        this.node(k, { mapping: true })
        if (this.column > this.bestWidth) this.writeIndent()
        this.indicator(':', true)
      }
      this.node(v, { mapping: true })
    })
    this.indent = this.indents.pop()!
    this.flowLevel--
    this.indicator('}', false)
  }

  private blockSeq(n: Extract<Node, { kind: 'seq' }>, mappingContext: boolean): void {
    this.increaseIndent(false, mappingContext && !this.indention)
    for (const item of n.items) {
      this.writeIndent()
      this.indicator('-', true, false, true)
      this.node(item, { sequence: true })
    }
    this.indent = this.indents.pop()!
  }

  private blockMap(n: Extract<Node, { kind: 'map' }>): void {
    this.increaseIndent(false)
    for (const [k, v] of n.pairs) {
      this.writeIndent()
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true })
        this.indicator(':', false)
      } else {
        this.indicator('?', true, false, true)
        this.node(k, { mapping: true })
        this.writeIndent()
        this.indicator(':', true, false, true)
      }
      this.node(v, { mapping: true })
    }
    this.indent = this.indents.pop()!
  }

  private scalar(n: Extract<Node, { kind: 'scalar' }>, simpleKey: boolean): void {
    const a = analyze(n.value)
    const split = !simpleKey
    let style: '' | "'" | '"' = simpleKey && a.multiline ? '"' : ''
    if (style === '') {
      if ((this.flowLevel && !a.flowPlain) || (!this.flowLevel && !a.blockPlain)) style = "'"
      if (a.empty && (this.flowLevel || simpleKey)) style = "'"
      if (!n.plainImplicit) style = "'"
    }
    if (style === "'" && !a.singleQuoted) style = '"'
    if (style === '') this.plain(n.value, split)
    else if (style === "'") this.singleQuoted(n.value, split)
    else this.doubleQuoted(n.value, split)
  }

  private plain(text: string, split: boolean): void {
    if (!this.whitespace && (text || this.flowLevel)) this.write(' ')
    this.folded(text, split, false)
    this.whitespace = false
    this.indention = false
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true)
    this.folded(text, split, true)
    this.indicator("'", false)
    this.whitespace = false
    this.indention = false
  }

  /** A plain or single-quoted scalar's text: folded at a space past the width, its line breaks doubled. */
  private folded(text: string, split: boolean, quoted: boolean): void {
    const chars = [...text]
    let spaces = false
    let breaks = false
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        const inner = !quoted || (i !== 0 && i !== chars.length - 1)
        if (split && !spaces && inner && this.column > this.bestWidth && chars[i + 1] !== ' ') this.writeIndent()
        else this.write(ch)
        spaces = true
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.lineBreak()
        this.lineBreak(ch)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.write(quoted && ch === "'" ? "''" : ch)
        this.indention = false
        spaces = breaks = false
      }
    })
    if (quoted && breaks) this.writeIndent()
  }

  private doubleQuoted(text: string, split: boolean): void {
    this.indicator('"', true)
    const chars = [...text]
    let spaces = false
    chars.forEach((ch, i) => {
      const cp = ch.codePointAt(0)!
      if (!isPrintable(ch) || cp === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.write(
          Object.hasOwn(ESCAPES, ch)
            ? `\\${ESCAPES[ch]}`
            : cp <= 0xff
              ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`
              : cp <= 0xffff
                ? `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`
                : `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`,
        )
        spaces = false
      } else if (ch === ' ') {
        if (split && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent()
          if (chars[i + 1] === ' ') this.write('\\')
        } else this.write(ch)
        spaces = true
      } else {
        this.write(ch)
        spaces = false
      }
    })
    this.indicator('"', false)
    this.whitespace = false
    this.indention = false
  }
}

export interface DumpOpts {
  indent: number
  /** default_flow_style: true, false, or null (flow for collections of scalars) */
  flow: unknown
  width?: unknown
  /** sort_keys (PyYAML's default: true) */
  sortKeys?: boolean
}

export function dumpYaml(v: unknown, o: DumpOpts): string {
  const indent = o.indent > 1 && o.indent < 10 ? o.indent : 2
  const width = o.width === undefined || o.width === null ? 80 : Number(o.width)
  const e = new Emitter(indent, width > indent * 2 ? width : 80)
  const flow = o.flow === null || o.flow === undefined ? null : Boolean(o.flow)
  e.node(represent(v, flow, o.sortKeys ?? true), {})
  // libyaml's emitter (Ansible's CSafeDumper) writes no `...` after a lone plain scalar
  e.writeIndent()
  return e.out
}

// ---- loading ------------------------------------------------------------------------------------

/** yaml's YAML 1.1 schema read as PyYAML reads it (../yaml-scalars.ts): floats stay floats, dates stay text. */
function pyyamlTag(t: YamlTag): YamlTag | undefined {
  if (String(t.tag).endsWith(':timestamp')) return undefined
  if (t.tag === 'tag:yaml.org,2002:float' && 'test' in t && t.test) {
    const scalar = t as ScalarTag
    const resolve: ScalarTag['resolve'] = (s, onError, o) => mkFloat(Number(scalar.resolve(s, onError, o)))
    return { ...scalar, resolve }
  }
  return t
}

const options = {
  version: '1.1' as const,
  customTags: (tags: Tags): Tags => asPyyaml(tags).flatMap((t) => pyyamlTag(t) ?? []),
}

function yamlFailure(what: string, e: unknown): never {
  throw templateError(`${what}: ${(e as Error).message.split('\n')[0]}`)
}

export function loadYaml(text: string): unknown {
  try {
    return parse(text, options) ?? null
  } catch (e) {
    return yamlFailure('from_yaml: invalid YAML', e)
  }
}

export function loadYamlAll(text: string): unknown[] {
  const docs = parseAllDocuments(text, options)
  if (!Array.isArray(docs)) return []
  return docs.map((d) => {
    if (d.errors.length) yamlFailure('from_yaml_all: invalid YAML', d.errors[0])
    return d.toJS() ?? null
  })
}
