/** `-e` / `--extra-vars`: `k=v k2="a b"`, inline JSON/YAML `{"k": 1}`, or `@file.yml` / `@file.json`. */
import { assignEntries } from './unsafe.js'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { optionError } from '../errors.js'
import { readYamlData } from '../yaml-source.js'
import { isMapping } from './py.js'
import type { Vars } from './precedence.js'

/** Splits `a=1 b="x y" c='z'` like a shell would (quotes removed, backslash escapes). */
function splitKv(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote: string | null = null
  let inToken = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quote) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < s.length && '"\\'.includes(s[i + 1]!)) cur += s[++i]
      else cur += c
    } else if (c === '"' || c === "'") {
      quote = c
      inToken = true
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i]
      inToken = true
    } else if (/\s/.test(c)) {
      if (inToken) out.push(cur)
      cur = ''
      inToken = false
    } else {
      cur += c
      inToken = true
    }
  }
  if (quote) throw optionError(`-e ${s}: unterminated ${quote} quote`)
  if (inToken) out.push(cur)
  return out
}

function parseInline(text: string, what: string): Vars {
  let data: unknown
  try {
    // Ansible reads it with its YAML loader (PyYAML's scalars), as a vars file
    data = readYamlData(text, '-e')
  } catch (e) {
    throw optionError(`-e ${what}: ${(e as Error).message.split('\n')[0]}`)
  }
  return asVars(data, what)
}

function asVars(data: unknown, what: string): Vars {
  if (data === null || data === undefined) return {}
  if (!isMapping(data)) throw optionError(`-e ${what}: extra vars must be a mapping of names to values`)
  return data
}

/**
 * The names of a parsed `-e` mapping whose values Ansible read with its YAML loader: it tries JSON
 * first (inline, and a file's text), so only text that is not JSON gives AnsibleUnicode,
 * AnsibleSequence and AnsibleMapping; JSON and key=value give Python's plain str, list and dict.
 * A mapping acplay did not parse (a TypeScript caller's) is all plain. Argument-spec errors name
 * the type (`argument 'port' is of type <class 'str'>`).
 */
const yamlTyped = new WeakMap<Vars, ReadonlySet<string>>()

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function marked(vars: Vars, text: string): Vars {
  if (!isJson(text)) yamlTyped.set(vars, new Set(Object.keys(vars)))
  return vars
}

/** Whether extra var `name` holds Python's plain types (str, list, dict) in Ansible, not YAML's. */
export function extraVarIsPlain(extraVars: Vars | undefined, name: string): boolean {
  return !!extraVars && Object.hasOwn(extraVars, name) && !yamlTyped.get(extraVars)?.has(name)
}

/** One `-e` argument to vars; `@path` is resolved against baseDir (the current directory). */
export function parseExtraVars(arg: string, baseDir: string = process.cwd()): Vars {
  const s = arg.trim()
  if (s.startsWith('@')) {
    const file = resolve(baseDir, s.slice(1))
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw optionError(`-e ${s}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    // a file's YAML reads like any vars file: YAML 1.1, vault files and !vault values, errors with file:line
    return marked(asVars(readYamlData(text, file), s), text)
  }
  if (s.startsWith('{') || s.startsWith('[')) return marked(parseInline(s, s), s)
  const vars: Vars = {}
  for (const token of splitKv(s)) {
    const eq = token.indexOf('=')
    if (eq <= 0) throw optionError(`-e ${arg}: expected key=value, got ${JSON.stringify(token)}`)
    vars[token.slice(0, eq)] = token.slice(eq + 1)
  }
  return vars
}

/** Several `-e` options, later ones winning per key (as ansible-playbook does). */
export function mergeExtraVars(args: readonly string[], baseDir?: string): Vars {
  const merged: Vars = {}
  const yaml = new Set<string>()
  for (const vars of args.map((a) => parseExtraVars(a, baseDir))) {
    assignEntries(merged, vars)
    for (const name of Object.keys(vars)) {
      if (yamlTyped.get(vars)?.has(name)) yaml.add(name)
      else yaml.delete(name)
    }
  }
  yamlTyped.set(merged, yaml)
  return merged
}
