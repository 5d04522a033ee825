/**
 * One-line apt sources (sources.list, sources.list.d/*.list), pure and as Ansible's apt_repository
 * reads and writes them: each line parsed into (valid, enabled, source, comment) and written back
 * normalized ("# " for a disabled line, single spaces in a source, " # comment"). A file Ansible
 * touches is written in that form; an emptied file is removed.
 */
export const VALID_SOURCE_TYPES = ['deb', 'deb-src']

export interface SourceLine {
  valid: boolean
  enabled: boolean
  source: string
  comment: string
}

/** Ansible's SourcesList._parse. */
export function parseSourceLine(raw: string): SourceLine {
  let line = raw.trim()
  let enabled = true
  let comment = ''
  if (line.startsWith('#')) {
    enabled = false
    line = line.slice(1)
  }
  const i = line.indexOf('#')
  if (i > 0) {
    comment = line.slice(i + 1).trim()
    line = line.slice(0, i)
  }
  let source = line.trim()
  let valid = false
  if (source) {
    const chunks = source.split(/\s+/)
    if (VALID_SOURCE_TYPES.includes(chunks[0]!)) {
      valid = true
      source = chunks.join(' ')
    }
  }
  return { valid, enabled, source, comment }
}

/** A file's lines as Python iterates a text file (\n, \r\n and \r end a line). */
export const parseSourcesFile = (text: string): SourceLine[] => (text.match(/[^\n\r]*(?:\r\n|\n|\r)|[^\n\r]+$/g) ?? []).map(parseSourceLine)

export const dumpSources = (lines: SourceLine[]): string =>
  lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('')

/** Ansible's _suggest_filename: the repository's host and path as a file name; `filename` wins (".list" added). */
export function suggestFilename(source: string, filename?: string): string {
  if (filename !== undefined) return `${filename}.list`
  const line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '')
  const parts = line.split(/\s+/).filter((p) => p && !VALID_SOURCE_TYPES.includes(p))
  if (parts[0]?.includes('@')) parts[0] = parts[0].split('@').slice(1).join('@')
  return `${(parts[0] ?? '')
    .replace(/[^a-zA-Z0-9]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join('_')}.list`
}

export type SourceFiles = Map<string, SourceLine[]>

/**
 * Ansible's add: every valid line (enabled or not) equal to the source is enabled; if there is none,
 * the source is appended to `file`. Returns the file appended to (its mode is then set), if any.
 */
export function addSource(files: SourceFiles, source: string, file: string): string | undefined {
  let found = false
  for (const lines of files.values()) {
    lines.forEach((l, i) => {
      if (l.valid && l.source === source) {
        lines[i] = { ...l, enabled: true }
        found = true
      }
    })
  }
  if (found) return undefined
  files.set(file, [...(files.get(file) ?? []), { valid: true, enabled: true, source, comment: '' }])
  return file
}

/** Ansible's remove: every enabled line equal to the source goes (a disabled one stays). */
export function removeSource(files: SourceFiles, source: string): void {
  for (const [path, lines] of files)
    files.set(
      path,
      lines.filter((l) => !(l.valid && l.enabled && l.source === source)),
    )
}
