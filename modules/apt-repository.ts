/**
 * apt_repository: a one-line apt source in sources.list or sources.list.d/*.list, as Ansible's
 * apt_repository: an existing line with the same source (anywhere, even disabled) is enabled,
 * otherwise the line goes into a file named after the repository (or `filename`); state=absent
 * removes every enabled line with that source. Like Ansible, a change rewrites the source files in
 * its normalized form and removes a file left empty. With update_cache the cache is updated after the
 * change, and when that fails the files are put back.
 *
 * One read (every source file). Effects: path.stat/path.content of each file written, apt.sources
 * (the files after), and apt.cache (later apt tasks in check mode know the candidates will change).
 */
import { ModuleFailure } from '../engine/errors.js'
import { dumpSources, parseSourceLine, parseSourcesFile, addSource, removeSource, suggestFilename, type SourceFiles } from './apt/sources-list.js'
import { keepForRevert, sourcesChanged, updateOrRevert } from './apt/update.js'
import { aptSources, sourceFileStat, SOURCES_DIR, SOURCES_LIST, type AptSources, type SourceFile } from './facts/apt-sources.js'
import { modeParam } from './files/attrs.js'
import type { Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { defineModule, type Change, type Plan } from './types.js'

export const aptRepository = defineModule({
  name: 'apt_repository',
  summary: 'Add and remove APT repositories',
  description:
    'Manages one-line sources ("deb [options] URL suite components") in /etc/apt/sources.list and /etc/apt/sources.list.d/*.list. ' +
    'A new source goes to sources.list.d/FILENAME.list (by default named after the URL). PPAs (ppa:...) are not supported yet.',
  params: {
    repo: {
      type: 'str',
      required: true,
      description: 'The source line, e.g. "deb [signed-by=/etc/apt/keyrings/x.asc] http://repo.example/debian bookworm main".',
    },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the source should be there.' },
    mode: { type: 'raw', description: 'Mode of a file the source is added to (default 0644 for a new file).' },
    update_cache: {
      type: 'bool',
      default: true,
      aliases: ['update-cache'],
      description: 'Run apt-get update after a change (and put the files back if it fails).',
    },
    update_cache_retries: { type: 'int', default: 5, description: 'How many times apt-get update is tried.' },
    update_cache_retry_max_delay: { type: 'int', default: 12, description: 'The longest wait between two tries (seconds).' },
    filename: { type: 'str', description: 'The file name in sources.list.d, without ".list" (default: from the repository URL).' },
    install_python_apt: { type: 'bool', default: true, description: 'Accepted for compatibility: acplay needs no python3-apt.' },
    validate_certs: { type: 'bool', default: true, description: 'Accepted for compatibility (it concerns PPA lookups, which are not supported).' },
    codename: { type: 'str', description: 'The distribution codename for PPAs (accepted; PPAs are not supported yet).' },
  },
  returns: {
    repo: 'the repository line',
    state: 'present or absent',
    sources_added: 'the source files created',
    sources_removed: 'the source files removed',
  },
  examples: `
- apt_repository:
    repo: deb [signed-by=/etc/apt/keyrings/pgdg.asc] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main
    filename: pgdg
- apt_repository: { repo: "deb http://old.example/debian bookworm main", state: absent }
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.repo) throw new ModuleFailure("Please set argument 'repo' to a non-empty value")
    if (p.repo.startsWith('ppa:')) throw new ModuleFailure('PPA repositories (ppa:...) are not supported yet')
    const want = modeParam(p.mode, 'mode')
    const line = parseSourceLine(p.repo)
    if (!line.valid || !line.enabled) throw new ModuleFailure(`Invalid repository string: ${p.repo.trim().replace(/^#/, '')}`)
    const data: Record<string, unknown> = { repo: p.repo, state: p.state, sources_added: [], sources_removed: [] }
    const read: AptSources = await ctx.fact(aptSources)
    const lists = read.files.filter((f) => f.path === SOURCES_LIST || f.path.endsWith('.list'))
    const before: SourceFiles = new Map(lists.map((f) => [f.path, parseSourcesFile(f.text)]))
    const after: SourceFiles = new Map([...before].map(([k, v]) => [k, [...v]]))
    let appendedTo: string | undefined
    if (p.state === 'present') {
      const name = suggestFilename(line.source, p.filename)
      appendedTo = addSource(after, line.source, name.includes('/') ? name : `${SOURCES_DIR}/${name}`)
    } else removeSource(after, line.source)
    const dump = (m: SourceFiles) => new Map([...m].filter(([, l]) => l.length > 0).map(([k, l]) => [k, dumpSources(l)]))
    const dumpBefore = dump(before)
    const dumpAfter = dump(after)
    const same = dumpBefore.size === dumpAfter.size && [...dumpBefore].every(([k, v]) => dumpAfter.get(k) === v)
    if (same) {
      const where = [...dumpAfter].filter(([, t]) => t.includes(line.source)).map(([k]) => k)
      return { kind: 'ok', reason: p.state === 'present' ? `${line.source} is in ${where.join(', ')}` : `${line.source} is in no source file`, data }
    }

    // as Ansible's save(): every source file is written in normalized form; an emptied one is removed
    const byPath = new Map(lists.map((f) => [f.path, f]))
    const changes: Change[] = []
    const touched: string[] = []
    const stats: Stats = { user: 'root', group: 'root', get: (x) => sourceFileStat(byPath.get(x)) }
    for (const [path, lines] of after) {
      const old = byPath.get(path)
      if (lines.length === 0) {
        if (!old) continue
        touched.push(path)
        ;(data.sources_removed as string[]).push(path)
        changes.push({
          summary: `remove ${path} (no source left in it)`,
          commands: [{ argv: ['rm', '-f', '--', path] }],
          diff: { path, before: old.text, after: '' },
          effects: [
            { fact: 'path.stat', key: path, value: { exists: false } },
            { fact: 'path.content', key: path, value: { user: '', group: '', stat: { exists: false } } },
          ],
        })
        continue
      }
      const text = dumpSources(lines)
      const mode = path === appendedTo ? want : undefined
      if (old && old.text === text && (mode?.kind !== 'octal' || mode.text === old.mode)) continue
      if (!old) (data.sources_added as string[]).push(path)
      const w = await planWrite(ctx, { dest: path, content: Buffer.from(text), want: { mode }, before: old ? Buffer.from(old.text) : undefined }, stats)
      if (w.kind === 'change') {
        touched.push(path)
        changes.push(
          ...w.changes.map((c) =>
            c.upload ? { ...c, summary: `${old ? 'update' : 'create'} ${path} (${line.source}${p.state === 'absent' ? ' removed' : ''})` } : c,
          ),
        )
      }
    }
    const files = [...after]
      .filter(([, l]) => l.length > 0)
      .map(([path, l]): SourceFile => {
        const old = byPath.get(path)
        return { path, mode: old?.mode ?? '0644', owner: old?.owner ?? 'root', group: old?.group ?? 'root', text: dumpSources(l) }
      })
    const others = read.files.filter((f) => !(f.path === SOURCES_LIST || f.path.endsWith('.list')))
    const effects = [{ fact: aptSources.name, key: '', value: { files: [...files, ...others] } satisfies AptSources }, sourcesChanged(p.update_cache)]
    if (p.update_cache) {
      changes.unshift({ summary: `keep a copy of ${touched.join(', ')} until apt-get update succeeds`, commands: [keepForRevert(touched)] })
      changes.push({ summary: 'update the apt cache (the files are put back if it fails)', commands: [updateOrRevert(p, touched)], effects })
    } else changes[changes.length - 1] = { ...changes[changes.length - 1]!, effects: [...(changes[changes.length - 1]!.effects ?? []), ...effects] }
    return { kind: 'change', changes, data }
  },
})
