/** Tags: which a task has (templated ones rendered) and whether --tags / --skip-tags select them. */
import { isTemplate } from '../playbook/keywords.js'
import type { TaskKeywords } from '../playbook/types.js'
import { templateValue } from '../vars/template.js'
import type { PlayContext } from './context.js'
import { playLevelVars } from './scope.js'

/** Ansible's tag selection: --tags / --skip-tags, with the special tags always, never, all, tagged, untagged. */
export function selectedByTags(taskTags: readonly string[], only: readonly string[] = [], skip: readonly string[] = []): boolean {
  const tags = new Set(taskTags)
  if (skip.length && (skip.some((t) => tags.has(t)) || (skip.includes('tagged') && tags.size > 0))) return false
  if (tags.has('never') && !only.some((t) => tags.has(t) && t !== 'never')) return false
  if (only.length === 0 || only.includes('all')) return true
  if (tags.has('always')) return true
  if (only.includes('tagged') && tags.size > 0) return true
  if (only.includes('untagged') && tags.size === 0) return true
  return only.some((t) => tags.has(t))
}

const rendered = new WeakMap<object, WeakMap<readonly string[], readonly string[]>>()

/**
 * `tags` with each templated tag rendered, as Ansible's Taggable.evaluate_tags: with the play's
 * variables (the same for every host: Ansible's get_vars(play=play)), in an included file with
 * `tagVars` (scope.ts includeTagVars), a list value giving several tags. Once per list and play (or
 * include); a list without templates is given back as it is.
 */
export function renderTags(pc: PlayContext, tags: readonly string[], at: TaskKeywords, tagVars?: Record<string, unknown>): readonly string[] {
  if (tags.length === 0 || !tags.some(isTemplate)) return tags
  const cacheKey = tagVars ?? pc
  let byList = rendered.get(cacheKey)
  if (!byList) {
    byList = new WeakMap()
    rendered.set(cacheKey, byList)
  }
  let out = byList.get(tags)
  if (!out) {
    const vars = tagVars ?? playLevelVars(pc)
    const where = { file: at.pos?.file, line: at.pos?.line, col: at.pos?.col }
    out = tags.flatMap((t) => {
      if (!isTemplate(t)) return [t]
      const value = templateValue(t, vars, where)
      return (Array.isArray(value) ? value : [value]).map((x) => String(x))
    })
    byList.set(tags, out)
  }
  return out
}
