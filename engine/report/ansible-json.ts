/** JSON as Ansible's command-line tools print it: keys sorted at every level, lists in their order. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys)
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
    )
  return v
}

/**
 * json.dumps(v, sort_keys=True, indent=indent). Indent 0 is the oneline callback's: Python's indent=0
 * layout with its newlines removed (`{"a": 1,"b": 2}`); JSON strings hold no raw newline, so that is safe.
 */
export const ansibleJson = (v: unknown, indent = 4): string =>
  indent ? JSON.stringify(sortedKeys(v), null, indent) : JSON.stringify(sortedKeys(v), null, 1).replace(/\n */g, '')
