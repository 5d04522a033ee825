/**
 * A role's argument specs (meta/argument_specs.yml, else `argument_specs` in meta/main.yml, as
 * Ansible's Role._get_role_argspecs): when the one for the entry point (`tasks_from`, else main)
 * exists, Ansible puts a validate_argument_spec task first in the role, named after the entry
 * point, tagged always. acplay does the same, so the checks, the failure and the recap are Ansible's.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { isMap, type Node } from 'yaml'
import type { ModuleTask } from './types.js'
import { entries, fail, posOf, readYaml, toJS, type Source } from '../yaml-source.js'
import { isMapping } from '../vars/py-value.js'

/** The specs and the file they came from; undefined when the role has none. */
function roleArgumentSpecs(dir: string, meta: Source | undefined): { specs: Record<string, unknown>; src: Source; node: Node } | undefined {
  for (const ext of ['.yml', '.yaml', '.json']) {
    const file = path.join(dir, 'meta', `argument_specs${ext}`)
    if (!existsSync(file)) continue
    const src = readYaml(file)
    const top = src.doc.contents
    const entry = isMap(top) ? entries(src, top).find((e) => e.key === 'argument_specs') : undefined
    return specsAt(src, entry?.value ?? null)
  }
  if (!meta || !isMap(meta.doc.contents)) return undefined
  const entry = entries(meta, meta.doc.contents).find((e) => e.key === 'argument_specs')
  return entry ? specsAt(meta, entry.value) : undefined
}

function specsAt(src: Source, node: Node | null): { specs: Record<string, unknown>; src: Source; node: Node } | undefined {
  if (!node) return undefined
  const specs = toJS(src, node)
  if (specs === null) return undefined
  if (!isMapping(specs)) throw fail(src, node, "'argument_specs' must be a mapping of entry points (main, ...) to their specs")
  return { specs, src, node }
}

/**
 * Ansible's validation task for the role at `dir` entered at `entry`, given `provided` (the role's
 * params, `vars:` aside); undefined when the role has no spec for that entry point.
 */
export function roleValidationTask(dir: string, meta: Source | undefined, entry: string, provided: Record<string, unknown>): ModuleTask | undefined {
  const found = roleArgumentSpecs(dir, meta)
  const spec = found?.specs[entry]
  if (!found || spec === undefined || spec === null) return undefined
  if (!isMapping(spec)) throw fail(found.src, found.node, `the argument spec of entry point '${entry}' must be a mapping (short_description, options, ...)`)
  const description = spec.short_description === undefined ? '' : ` - ${String(spec.short_description)}`
  return {
    kind: 'module',
    module: 'validate_argument_spec',
    name: `Validating arguments against arg spec '${entry}'${description}`,
    pos: posOf(found.src, found.node),
    when: [],
    tags: ['always'],
    vars: {},
    notify: [],
    args: {
      argument_spec: spec.options ?? {},
      provided_arguments: provided,
      validate_args_context: { type: 'role', name: path.basename(dir), argument_spec_name: entry, path: dir },
    },
  }
}
