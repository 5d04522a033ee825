/**
 * deb822_repository: a repository as a deb822 .sources file (/etc/apt/sources.list.d/NAME.sources),
 * written as Ansible's deb822_repository writes it: one "Field: value" per given option, in the
 * order of the option names, multi-line values indented with "." for blank lines. signed_by may be
 * a key file on the host, fingerprints or an armored key (written into the file), or a URL: then the
 * key is fetched on the host (in plan) and kept as /etc/apt/keyrings/NAME.asc (or .gpg).
 * Like Ansible it does not update the apt cache: run apt with update_cache after it.
 *
 * Reads: the source files (and, for signed_by a path, whether it exists). Effects: path.stat /
 * path.content of the files written, apt.sources, and apt.cache (the cache is stale after it).
 */
import { ModuleFailure } from '../engine/errors.js'
import { sourcesChanged } from './apt/update.js'
import { aptSources, sourceFileStat, SOURCES_DIR, type AptSources, type SourceFile } from './facts/apt-sources.js'
import { modeParam } from './files/attrs.js'
import { statPaths, type Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { defineModule, type Change, type FactEffect, type ModuleContext, type Plan } from './types.js'

const KEYRINGS_DIR = '/etc/apt/keyrings'

const BOOL_FIELDS = [
  'allow_downgrade_to_insecure',
  'allow_insecure',
  'allow_weak',
  'by_hash',
  'check_date',
  'check_valid_until',
  'enabled',
  'pdiffs',
  'trusted',
] as const
const LIST_FIELDS = ['architectures', 'components', 'exclude', 'include', 'languages', 'suites', 'targets', 'types', 'uris'] as const

/** Ansible's format_field_name. */
const fieldName = (k: string) =>
  k === 'name' ? 'X-Repolib-Name' : k === 'uris' ? 'URIs' : k.replace(/_/g, '-').replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())

/** Ansible's format_multiline: on the next lines, indented, blank lines as ".". */
const multiline = (v: string) =>
  `\n${v
    .trim()
    .split(/\r\n|\n|\r/)
    .map((l) => `    ${l.trim() || '.'}`)
    .join('\n')}`

/** The .sources text Ansible writes (Deb822.dump): fields in option-name order. */
export function deb822Text(fields: Record<string, string>): string {
  return Object.keys(fields)
    .sort()
    .map((k) => {
      const v = fields[k]!.includes('\n') ? multiline(fields[k]!) : fields[k]!
      return !v || v.startsWith('\n') ? `${fieldName(k)}:${v}\n` : `${fieldName(k)}: ${v}\n`
    })
    .join('')
}

async function download(ctx: ModuleContext, url: string): Promise<string> {
  const out = await ctx.run({ argv: ['curl', '-fsSL', '--max-time', '60', '--', url] })
  if (out.rc !== 0) throw new ModuleFailure(`Could not fetch signed_by key: ${out.stderr.trim() || `curl exit ${out.rc}`}`)
  return out.stdout
}

export const deb822Repository = defineModule({
  name: 'deb822_repository',
  summary: 'Add and remove deb822 formatted repositories',
  description:
    'Writes /etc/apt/sources.list.d/NAME.sources from the options given (only those), and with signed_by as a URL the key to ' +
    '/etc/apt/keyrings/NAME.asc. Does not update the apt cache (use apt with update_cache afterwards).',
  params: {
    name: { type: 'str', required: true, description: 'Name of the repository: X-Repolib-Name, and the names of its .sources and key files.' },
    types: { type: 'list', elements: 'str', default: ['deb'], choices: ['deb', 'deb-src'], description: 'Types: deb and/or deb-src.' },
    uris: { type: 'list', elements: 'str', description: 'URIs of the archive.' },
    suites: { type: 'list', elements: 'str', description: 'Suites (a codename, or an exact path ending in / without components).' },
    components: { type: 'list', elements: 'str', description: 'Components (main, contrib, ...).' },
    signed_by: { type: 'str', description: 'A key file path on the host, fingerprints, an ASCII armored key, or a URL to fetch the key from.' },
    architectures: { type: 'list', elements: 'str', description: 'Architectures.' },
    languages: { type: 'list', elements: 'str', description: 'Languages of translated descriptions to fetch.' },
    targets: { type: 'list', elements: 'str', description: 'Download targets.' },
    include: { type: 'list', elements: 'str', description: 'Only these packages from the repository (Include).' },
    exclude: { type: 'list', elements: 'str', description: 'Not these packages (Exclude).' },
    enabled: { type: 'bool', description: 'Enabled: whether apt uses the source.' },
    trusted: { type: 'bool', description: 'Trusted: use the source even without a valid signature.' },
    allow_insecure: { type: 'bool', description: 'Allow-Insecure.' },
    allow_weak: { type: 'bool', description: 'Allow-Weak.' },
    allow_downgrade_to_insecure: { type: 'bool', description: 'Allow-Downgrade-To-Insecure.' },
    by_hash: { type: 'bool', description: 'By-Hash.' },
    check_date: { type: 'bool', description: 'Check-Date.' },
    check_valid_until: { type: 'bool', description: 'Check-Valid-Until.' },
    date_max_future: { type: 'int', description: 'Date-Max-Future (seconds).' },
    inrelease_path: { type: 'str', description: 'Inrelease-Path.' },
    pdiffs: { type: 'bool', description: 'PDiffs.' },
    mode: { type: 'raw', default: '0644', description: 'Mode of the .sources file.' },
    state: {
      type: 'str',
      default: 'present',
      choices: ['absent', 'present'],
      description: 'present writes the files; absent removes the .sources file and the key file.',
    },
    install_python_debian: { type: 'bool', default: false, description: 'Accepted for compatibility: acplay needs no python3-debian.' },
  },
  mutuallyExclusive: [['exclude', 'include']],
  returns: { repo: 'the .sources text (null with state=absent)', dest: 'the .sources file', key_filename: 'the key file written for a signed_by URL' },
  examples: `
- deb822_repository:
    name: pgdg
    uris: http://apt.postgresql.org/pub/repos/apt
    suites: bookworm-pgdg
    components: main
    signed_by: https://www.postgresql.org/media/keys/ACCC4CF8.asc
- apt: { name: postgresql-16, update_cache: true }
`,
  async plan(p, ctx): Promise<Plan> {
    if (/[/\0]/.test(p.name)) throw new ModuleFailure(`argument 'name' must not contain '/': ${JSON.stringify(p.name)}`)
    const mode = modeParam(p.mode, 'mode')
    const read: AptSources = await ctx.fact(aptSources)
    const byPath = new Map(read.files.map((f) => [f.path, f]))
    // as Ansible: the older slug when a file of that name exists, else the name with spaces as dashes
    const legacy = p.name
      .toLowerCase()
      .replace(/[_\s]+/g, '-')
      .replace(/[^a-z0-9-]+/g, '')
    const slug = byPath.has(`${SOURCES_DIR}/${legacy}.sources`) ? legacy : p.name.replace(/ /g, '-')
    const dest = `${SOURCES_DIR}/${slug}.sources`
    const keyFiles = ['asc', 'gpg'].map((e) => `${KEYRINGS_DIR}/${slug}.${e}`)
    const sourcesEffect = (files: SourceFile[]): FactEffect[] => [
      { fact: aptSources.name, key: '', value: { files } satisfies AptSources },
      sourcesChanged(false),
    ]

    if (p.state === 'absent') {
      const stats = await statPaths(ctx, keyFiles)
      const gone = [...(byPath.has(dest) ? [dest] : []), ...keyFiles.filter((k) => stats.get(k).exists)]
      const data = { repo: null, dest, key_filename: keyFiles[1] }
      if (gone.length === 0) return { kind: 'ok', reason: `${dest} does not exist`, data }
      return {
        kind: 'change',
        changes: [
          {
            summary: `remove ${gone.join(', ')}`,
            commands: [{ argv: ['rm', '-f', '--', ...gone] }],
            ...(byPath.has(dest) ? { diff: { path: dest, before: byPath.get(dest)!.text, after: '' } } : {}),
            effects: [
              ...gone.map((g): FactEffect => ({ fact: 'path.stat', key: g, value: { exists: false } })),
              ...sourcesEffect(read.files.filter((f) => f.path !== dest)),
            ],
          },
        ],
        data,
      }
    }

    const fields: Record<string, string> = { name: p.name }
    for (const k of BOOL_FIELDS) if (p[k] !== undefined) fields[k] = p[k] ? 'yes' : 'no'
    for (const k of LIST_FIELDS) if (p[k] !== undefined) fields[k] = p[k]!.join(' ')
    if (p.date_max_future !== undefined) fields.date_max_future = String(p.date_max_future)
    if (p.inrelease_path !== undefined) fields.inrelease_path = p.inrelease_path
    const changes: Change[] = []
    let keyFilename: string | null = null
    if (p.signed_by !== undefined) {
      const v = p.signed_by
      const isPath = v.startsWith('/') && !v.includes('\n') && (await statPaths(ctx, [v])).get(v)
      const exists = isPath && (isPath.type === 'file' || (isPath.type === 'link' && isPath.target?.type === 'file'))
      if (exists) fields.signed_by = v
      else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) && !v.startsWith('-----')) {
        const key = await download(ctx, v)
        if (!key) fields.signed_by = v
        else {
          keyFilename = `${KEYRINGS_DIR}/${slug}.${key.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----') ? 'asc' : 'gpg'}`
          fields.signed_by = keyFilename
          const st = await statPaths(ctx, [KEYRINGS_DIR, keyFilename])
          const w = await planWrite(ctx, { dest: keyFilename, content: Buffer.from(key), want: { mode: { kind: 'octal', bits: 0o644, text: '0644' } } }, st)
          const dir = st.get(KEYRINGS_DIR)
          // as Ansible: the keyrings directory is made right only when the key file is (re)written
          if (w.kind === 'change' && w.changes.some((c) => c.upload) && (!dir.exists || dir.mode !== '0755' || dir.owner !== 'root' || dir.group !== 'root')) {
            changes.push({
              summary: `ensure ${KEYRINGS_DIR} (0755, root)`,
              commands: [
                { argv: ['mkdir', '-p', '--', KEYRINGS_DIR] },
                { argv: ['chown', 'root:root', KEYRINGS_DIR] },
                { argv: ['chmod', '0755', KEYRINGS_DIR] },
              ],
              effects: [{ fact: 'path.stat', key: KEYRINGS_DIR, value: { exists: true, type: 'directory', mode: '0755', owner: 'root', group: 'root' } }],
            })
          }
          if (w.kind === 'change') changes.push(...w.changes)
        }
      } else fields.signed_by = v
    }
    const repo = deb822Text(fields)
    const old = byPath.get(dest)
    const stats: Stats = { user: 'root', group: 'root', get: (x) => (x === dest ? sourceFileStat(old) : { exists: false }) }
    const w = await planWrite(ctx, { dest, content: Buffer.from(repo), want: { mode }, before: old ? Buffer.from(old.text) : undefined }, stats)
    const data = { repo, dest, key_filename: keyFilename }
    if (w.kind === 'change') {
      const after: SourceFile = {
        path: dest,
        mode: mode?.kind === 'octal' ? mode.text : (old?.mode ?? '0644'),
        owner: old?.owner ?? 'root',
        group: old?.group ?? 'root',
        text: repo,
      }
      const files = [...read.files.filter((f) => f.path !== dest), after]
      changes.push(
        ...w.changes.map((c) =>
          c.upload ? { ...c, summary: `${old ? 'update' : 'create'} ${dest}`, effects: [...(c.effects ?? []), ...sourcesEffect(files)] } : c,
        ),
      )
    }
    if (changes.length === 0) return { kind: 'ok', reason: `${dest} is as wanted${keyFilename ? `, with its key ${keyFilename}` : ''}`, data }
    return { kind: 'change', changes, data }
  },
})
