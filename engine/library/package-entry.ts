/**
 * The ESM entry file of an npm package, found from a directory the way Node looks for it
 * (node_modules up the tree) but without `require` conditions, so ESM-only packages work too.
 * Node 20's import.meta.resolve cannot take a parent directory, hence this small resolver.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { AcplayError } from '../errors.js'

const CONDITIONS = ['import', 'node', 'default']

/** `name` is a package name or an absolute path to a package directory. */
export function packageEntry(name: string, fromDir: string, origin: string): string {
  const dir = isAbsolute(name) ? name : findPackageDir(name, fromDir)
  if (!dir)
    throw new AcplayError('E_LIBRARY', `module package '${name}' is not installed (looked in node_modules from ${fromDir}; npm install it)`, { file: origin })
  const pkgFile = join(dir, 'package.json')
  let pkg: { exports?: unknown; main?: string }
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as typeof pkg
  } catch (e) {
    throw new AcplayError('E_LIBRARY', `cannot read ${pkgFile}: ${(e as Error).message}`, { file: origin })
  }
  const rel = exportsDot(pkg.exports) ?? pkg.main ?? 'index.js'
  const entry = resolve(dir, rel)
  if (!existsSync(entry)) throw new AcplayError('E_LIBRARY', `module package '${name}': entry ${entry} does not exist (is it built?)`, { file: origin })
  return entry
}

function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let d = resolve(fromDir); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(d) === d) return undefined
  }
}

/** The "." export: a string, a conditions object, or a subpath map holding "." (nested conditions allowed). */
function exportsDot(exp: unknown): string | undefined {
  if (typeof exp === 'string') return exp
  if (!exp || typeof exp !== 'object' || Array.isArray(exp)) return undefined
  const o = exp as Record<string, unknown>
  if ('.' in o) return exportsDot(o['.'])
  for (const c of CONDITIONS) if (c in o) return exportsDot(o[c])
  return undefined
}
