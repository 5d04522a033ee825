/** Ansible's tag selection: --tags / --skip-tags, with the special tags always, never, all, tagged, untagged; templated tags rendered. */
import type { Location } from '../errors.js'
import { isTemplate } from '../playbook/keywords.js'
import { templateValue } from '../vars/template.js'

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
 * variables (`vars`, the same for every host: Ansible's get_vars(play=play)), a list value giving
 * several tags. Once per list and play.
 */
export function renderTags(owner: object, tags: readonly string[], vars: () => Record<string, unknown>, where: Location): readonly string[] {
  if (!tags.some(isTemplate)) return tags
  let byList = rendered.get(owner)
  if (!byList) {
    byList = new WeakMap()
    rendered.set(owner, byList)
  }
  let out = byList.get(tags)
  if (!out) {
    const v = vars()
    out = tags.flatMap((t) => {
      if (!isTemplate(t)) return [t]
      const value = templateValue(t, v, where)
      return (Array.isArray(value) ? value : [value]).map((x) => String(x))
    })
    byList.set(tags, out)
  }
  return out
}
