/**
 * A module's documentation, derived from its spec only (documentation as data, like Ansible's
 * DOCUMENTATION block), so `acplay doc` and docs/modules.md cannot drift from the code.
 */
import { describeRules } from '../../modules/arg-rules.js'
import type { ParamDef } from '../../modules/schema.js'
import type { ModuleSpec } from '../../modules/types.js'

export interface ParamDoc {
  name: string
  type: string
  description: string
  required: boolean
  default?: string
  choices?: string[]
  aliases?: string[]
  secret: boolean
}

export interface ModuleDoc {
  name: string
  summary: string
  description?: string
  aliases: string[]
  params: ParamDoc[]
  returns: { name: string; description: string }[]
  /** check mode plans without applying; 'skip': skipped in check mode when it would change (command); 'none': always skipped in check mode (uri) */
  checkMode: 'full' | 'skip' | 'none'
  /** diffs come from the plan, so they exist wherever check mode plans */
  diff: boolean
  examples?: string
  /** the rules between arguments, in words (mutually exclusive, required if, ...) */
  rules: string[]
  /** where a custom module was loaded from; undefined for built-in modules */
  file?: string
}

export function moduleDoc(spec: ModuleSpec): ModuleDoc {
  const checkMode = spec.checkMode === 'skip' || spec.checkMode === 'none' ? spec.checkMode : 'full'
  return {
    name: spec.name,
    summary: spec.summary?.trim() ?? '',
    description: spec.description?.trim() || undefined,
    aliases: [...(spec.aliases ?? [])],
    params: Object.entries(spec.params)
      .map(([name, def]) => paramDoc(name, def))
      .sort((a, b) => a.name.localeCompare(b.name)),
    returns: Object.entries(spec.returns ?? {}).map(([name, description]) => ({ name, description })),
    checkMode,
    diff: checkMode === 'full',
    examples: spec.examples?.replace(/^\n+|\s+$/g, '') || undefined,
    rules: describeRules(spec),
    file: spec.file,
  }
}

function paramDoc(name: string, def: ParamDef): ParamDoc {
  return {
    name,
    type: def.type === 'list' && def.elements ? `list of ${def.elements}` : def.type,
    description: def.description?.trim() ?? '',
    required: !!def.required,
    default: def.default === undefined ? undefined : showValue(def.default),
    choices: def.choices ? [...def.choices] : undefined,
    aliases: def.aliases?.length ? [...def.aliases] : undefined,
    secret: !!def.secret || !!def.secretIf,
  }
}

/** A default as a playbook would spell it. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return v === '' ? "''" : v
  return JSON.stringify(v)
}

/** Modules by name, the ones given once each (a registry holds each spec under one canonical name). */
export function sortedModules(registry: Record<string, ModuleSpec>): ModuleSpec[] {
  return Object.values(registry).sort((a, b) => a.name.localeCompare(b.name))
}
