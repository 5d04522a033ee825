/** `-e` / `--extra-vars`: `k=v k2="a b"`, inline JSON/YAML `{"k": 1}`, or `@file.yml` / `@file.json`. */
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
    return asVars(readYamlData(text, file), s)
  }
  if (s.startsWith('{') || s.startsWith('[')) return parseInline(s, s)
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
  return Object.assign({}, ...args.map((a) => parseExtraVars(a, baseDir)))
}
