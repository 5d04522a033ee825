/**
 * Group names that are not valid variable names (`tomcat-servers`, `10net`): Ansible keeps them and
 * warns, or replaces the invalid characters with `_`, as ansible.cfg's `force_valid_group_names`
 * (TRANSFORM_INVALID_GROUP_CHARS) says: never (the default: kept, a warning), always (replaced, a
 * warning), ignore (kept), silently (replaced). Ansible's to_safe_group_name, with the names in the
 * warning instead of "use -vvvv to see details".
 */
export type GroupNameMode = 'never' | 'always' | 'ignore' | 'silently'

// Python's ^[\d\W]|[^\w] with re.UNICODE: a leading digit, or any character that is not a letter, digit or _
const INVALID = /^\p{Nd}|[^\p{L}\p{N}\p{M}_]/gu

export class GroupNames {
  private readonly found = new Map<string, Set<string>>()

  constructor(readonly mode: GroupNameMode = 'never') {}

  /** The name the inventory uses for `name`, noting it when it has invalid characters. */
  name(name: string): string {
    const bad = name.match(INVALID)
    if (!bad) return name
    if (!this.found.has(name)) this.found.set(name, new Set(bad))
    return this.mode === 'always' || this.mode === 'silently' ? name.replace(INVALID, '_') : name
  }

  /** The one warning of a load, if its mode warns. */
  warning(): string | undefined {
    if (this.found.size === 0 || this.mode === 'ignore' || this.mode === 'silently') return undefined
    const how = this.mode === 'always' ? 'and automatically replaced with _' : 'but not replaced'
    const which = [...this.found].map(([name, chars]) => `${name} (${[...chars].map((c) => JSON.stringify(c)).join(', ')})`)
    return `Invalid characters were found in group names ${how}: ${which.join(', ')}`
  }
}
