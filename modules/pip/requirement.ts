/** Requirement strings ("astronomer-core[postgres]==2.0.*; python_version >= '3.8'") and PEP 503 names. */
import { evaluateMarker } from './markers.js'
import { parseSpecifiers, type Specifier } from './pep440.js'

export interface Requirement {
  /** as written */
  name: string
  /** PEP 503 normalised: lowercase, runs of -_. become - */
  key: string
  extras: string[]
  specifiers: Specifier[]
  marker?: string
  text: string
}

/** PEP 503: "Astronomer_Core.x" -> "astronomer-core-x". Extras are normalised the same way. */
export const normalizeName = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-')

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
// name, [extras], specifiers (optionally in parentheses, the old Requires-Dist form), ; marker
const REQ_RE = new RegExp(`^\\s*(${NAME})\\s*(?:\\[([^\\]]*)\\])?\\s*(?:\\(([^)]*)\\)|([^;()]*?))\\s*(?:;\\s*(.*?))?\\s*$`, 's')

/** Parses one requirement; throws an Error naming the text for URLs, paths and anything malformed. */
export function parseRequirement(text: string): Requirement {
  if (/[\n\r\0]/.test(text)) throw new Error(`requirement ${JSON.stringify(text)} contains a newline or NUL`)
  if (/^\s*-/.test(text)) throw new Error(`requirement ${JSON.stringify(text)} looks like an option; use extra_args for pip options`)
  const m = REQ_RE.exec(text)
  if (!m || /\s@\s|:\/\//.test(text)) {
    throw new Error(
      `cannot parse requirement ${JSON.stringify(text)} (expected NAME[EXTRAS] SPECIFIERS, e.g. "astronomer-core[postgres]==2.0.*"; URLs and paths are not supported)`,
    )
  }
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  for (const e of extras) if (!new RegExp(`^${NAME}$`).test(e)) throw new Error(`invalid extra ${JSON.stringify(e)} in requirement ${JSON.stringify(text)}`)
  let specifiers: Specifier[]
  try {
    specifiers = parseSpecifiers(m[3] ?? m[4] ?? '')
  } catch (e) {
    throw new Error(`requirement ${JSON.stringify(text)}: ${(e as Error).message}`)
  }
  const marker = m[5]?.trim() || undefined
  if (marker) {
    try {
      evaluateMarker(marker, {}) // syntax only: an unknown environment makes every comparison false
    } catch (e) {
      throw new Error(`requirement ${JSON.stringify(text)}: ${(e as Error).message}`)
    }
  }
  return { name: m[1]!, key: normalizeName(m[1]!), extras: extras.map(normalizeName), specifiers, marker, text: text.trim() }
}

/** "acplay-demo[postgres]==2.0.*": the canonical text handed to pip (never through a shell). */
export function requirementText(r: Requirement): string {
  const extras = r.extras.length ? `[${r.extras.join(',')}]` : ''
  return `${r.name}${extras}${r.specifiers.map((s) => s.text).join(',')}${r.marker ? `; ${r.marker}` : ''}`
}
