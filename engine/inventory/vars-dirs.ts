/**
 * group_vars/ and host_vars/ directories, read like Ansible's host_group_vars plugin: for a
 * name, the first of NAME (file or directory), NAME.yml, NAME.yaml, NAME.json that exists; a
 * directory contributes all its vars files, recursively, in sorted order.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { isMap, isScalar, type Node } from 'yaml'
import { inventoryError } from '../errors.js'
import { posOf, toJS } from '../yaml-source.js'
import type { Vars, VarsLayer } from './types.js'
import { parseYamlSource } from './yaml.js'

const EXTS = ['.yml', '.yaml', '.json']

/** Layers by entity name, each a list of files in the order they apply. */
export type VarsByName = Map<string, VarsLayer[]>

export interface VarsDirs {
  groups: VarsByName
  hosts: VarsByName
}

/** Reads `dir/group_vars` for the given groups and `dir/host_vars` for the given hosts. */
export async function loadVarsDirs(dir: string, groups: Iterable<string>, hosts: Iterable<string>): Promise<VarsDirs> {
  const [g, h] = await Promise.all([loadKind(join(dir, 'group_vars'), groups), loadKind(join(dir, 'host_vars'), hosts)])
  return { groups: g, hosts: h }
}

async function loadKind(dir: string, names: Iterable<string>): Promise<VarsByName> {
  const out: VarsByName = new Map()
  const listing = await list(dir)
  if (!listing) return out
  const present = new Set(listing)
  for (const name of names) {
    const hit = ['', ...EXTS].map((ext) => name + ext).find((n) => present.has(n))
    if (!hit) continue
    const path = join(dir, hit)
    const files = (await isDir(path)) ? await varsFilesIn(path) : [path]
    const layers: VarsLayer[] = []
    for (const f of files) {
      const vars = await readVarsFile(f)
      if (vars) layers.push({ source: f, vars })
    }
    if (layers.length) out.set(name, layers)
  }
  return out
}

/** Vars files below a directory, sorted; hidden files, backups~ and other extensions skipped. */
async function varsFilesIn(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of (await list(dir)) ?? []) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue
    const path = join(dir, entry)
    const ext = extname(entry)
    if (await isDir(path)) {
      if (!ext) found.push(...(await varsFilesIn(path)))
    } else if (!ext || EXTS.includes(ext)) {
      found.push(path)
    }
  }
  return found
}

/** One vars file: a mapping, or nothing when empty. */
export async function readVarsFile(file: string): Promise<Vars | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw inventoryError(`cannot read vars file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file })
  }
  const src = parseYamlSource(text, file)
  const root = src.doc.contents as Node | null
  if (root === null || (isScalar(root) && root.value === null)) return null
  if (!isMap(root)) {
    const { line, col } = posOf(src, root)
    throw inventoryError('a vars file must be a mapping of variable names to values', { file, line, col })
  }
  return toJS(src, root) as Vars
}

async function list(dir: string): Promise<string[] | null> {
  try {
    return (await readdir(dir)).sort()
  } catch {
    return null
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
