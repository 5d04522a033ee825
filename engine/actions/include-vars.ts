/**
 * include_vars: variables from a file, or from every vars file under a directory (Ansible's
 * order: directories by path, files sorted by name within each), filtered by `extensions`,
 * `files_matching` and `ignore_files`, the first `depth` directories (0: all); later files replace
 * earlier keys (hash_behaviour replace) or deep-merge into them (merge); `name` nests them all.
 */
import { mergeMarked } from '../vars/unsafe.js'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ModuleFailure } from '../errors.js'
import { readYamlData } from '../yaml-source.js'

const OPTIONS = new Set([
  'file',
  'dir',
  '_raw_params',
  'cmd',
  'name',
  'depth',
  'files_matching',
  'ignore_files',
  'extensions',
  'hash_behaviour',
  'ignore_unknown_extensions',
])

function loadVarsFile(path: string): Record<string, unknown> {
  const data = readYamlData(readFileSync(path, 'utf8'), path) ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new ModuleFailure(`${path}: vars file must be a mapping`)
  return data as Record<string, unknown>
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)])
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v
  return out
}

/**
 * The directories of a dir include, by path, `root` first. Ansible's `depth` counts directories in
 * that order, not levels (its walk stops after the first `depth` of them; 0: all): so does this.
 */
function walk(root: string, depth: number): string[] {
  const dirs: string[] = []
  const visit = (d: string) => {
    dirs.push(d)
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory() || (e.isSymbolicLink() && statSync(join(d, e.name)).isDirectory())) visit(join(d, e.name))
  }
  visit(root)
  dirs.sort()
  return depth === 0 ? dirs : dirs.slice(0, depth)
}

/** The files of a dir include, in the order they are read. */
function dirFiles(dir: string, args: Record<string, unknown>): string[] {
  const extensions = args.extensions === undefined ? ['yaml', 'yml', 'json'] : asList(args.extensions)
  const matching = args.files_matching === undefined ? undefined : new RegExp(String(args.files_matching))
  const ignore = asList(args.ignore_files).map((i) => new RegExp(`${i}$`))
  const depth = Number(args.depth ?? 0)
  if (!Number.isInteger(depth) || depth < 0) throw new ModuleFailure(`include_vars: depth must be a whole number, got ${JSON.stringify(args.depth)}`)
  const out: string[] = []
  for (const d of walk(dir, depth)) {
    const files = readdirSync(d, { withFileTypes: true })
      .filter((e) => !e.isDirectory() && !(e.isSymbolicLink() && statSync(join(d, e.name)).isDirectory()))
      .map((e) => e.name)
      .sort()
    for (const f of files) {
      // Ansible's order: ignore_files, then the extension (an unknown one fails, unless ignore_unknown_extensions), then files_matching
      if (ignore.some((r) => r.test(f))) continue
      const ext = f.includes('.') ? f.slice(f.lastIndexOf('.') + 1) : ''
      if (!extensions.includes(ext)) {
        if (args.ignore_unknown_extensions === true) continue
        throw new ModuleFailure(`${join(d, f)} does not have a valid extension: ${extensions.join(', ')}`)
      }
      if (matching && !matching.test(f)) continue
      out.push(join(d, f))
    }
  }
  return out
}

export function includeVars(
  args: Record<string, unknown>,
  varsPath: (target: string, dir: boolean) => string,
): { facts: Record<string, unknown>; files: string[] } {
  const bad = Object.keys(args).find((k) => !OPTIONS.has(k))
  if (bad)
    throw new ModuleFailure(
      `include_vars: unsupported option '${bad}' (supported: ${[...OPTIONS].filter((o) => !o.startsWith('_') && o !== 'cmd').join(', ')})`,
    )
  if (args.dir !== undefined && (args.file ?? args._raw_params ?? args.cmd) !== undefined)
    throw new ModuleFailure('include_vars: file and dir are mutually exclusive')
  const target = String(args.file ?? args.dir ?? args._raw_params ?? args.cmd ?? '')
  if (!target) throw new ModuleFailure('include_vars needs file or dir')
  const path = isAbsolute(target) ? target : varsPath(target, args.dir !== undefined)
  const behaviour = String(args.hash_behaviour ?? 'replace')
  if (behaviour !== 'replace' && behaviour !== 'merge') throw new ModuleFailure(`include_vars: hash_behaviour must be replace or merge, got '${behaviour}'`)
  let isDir: boolean
  try {
    isDir = statSync(path).isDirectory()
  } catch {
    throw new ModuleFailure(`include_vars: could not find or access '${target}' (looked in ${path})`)
  }
  if (args.dir !== undefined && !isDir) throw new ModuleFailure(`include_vars: ${path} is not a directory`)
  const files = isDir ? dirFiles(path, args) : [path]
  let facts: Record<string, unknown> = {}
  for (const f of files) facts = behaviour === 'merge' ? deepMerge(facts, loadVarsFile(f)) : mergeMarked([facts, loadVarsFile(f) as Record<string, unknown>])
  if (args.name) facts = { [String(args.name)]: facts }
  return { facts, files }
}
