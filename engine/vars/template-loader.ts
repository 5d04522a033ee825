/**
 * Where `{% include %}`, `{% import %}` and `{% extends %}` find their templates: the same loader
 * for the template module and the template lookup, each giving its own directories in order.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { TemplateLoader } from './template.js'

/** Jinja's FileSystemLoader over `dirs`: the first `DIR/NAME` that is a file; `..` in a name finds nothing. */
export function templateLoader(dirs: readonly string[]): TemplateLoader {
  return (name) => {
    const parts = name.split('/').filter((x) => x && x !== '.')
    if (parts.includes('..')) return undefined
    for (const d of new Set(dirs)) {
      const f = join(d, ...parts)
      if (existsSync(f) && statSync(f).isFile()) return readFileSync(f, 'utf8')
    }
    return undefined
  }
}
