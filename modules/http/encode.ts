/** Request bodies encoded byte for byte as Ansible's uri encodes them (Python's json.dumps and urlencode). */

/** Python's json.dumps defaults: ", " and ": " separators, non-ASCII as \uXXXX. */
export function pythonJson(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pythonJson(k)}: ${pythonJson(x)}`)
      .join(', ')}}`
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return String(v)
}

/** Python's quote_plus: letters, digits and _.-~ stay; space is +. */
function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))

/** Ansible's form_urlencoded: a mapping or a list of pairs; a list value repeats the key; null values are left out. */
export function formUrlencoded(body: unknown): string {
  const pairs: [unknown, unknown][] = Array.isArray(body)
    ? body.map((x) => (Array.isArray(x) ? [x[0], x[1]] : [x, undefined]))
    : Object.entries(body as Record<string, unknown>)
  const out: string[] = []
  for (const [k, values] of pairs) {
    for (const v of Array.isArray(values) ? values : [values]) {
      if (v === null || v === undefined) continue
      out.push(`${quotePlus(text(k))}=${quotePlus(text(v))}`)
    }
  }
  return out.join('&')
}
