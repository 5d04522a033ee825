/**
 * find: the files under some directories that match names, age, size or content, with their stat
 * fields (as Ansible's find). Read-only: the plan is ok with the list, in check mode too (it reads
 * the host as it is: files an earlier unapplied task would create are not listed).
 */
import { ModuleFailure } from '../engine/errors.js'
import { findFiles } from './facts/find.js'
import { statTimes } from './stat.js'
import { defineModule } from './types.js'

const SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as const
const BYTES = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 } as const

function amount(v: string | undefined, name: string, units: Record<string, number>): number | undefined {
  if (v === undefined) return undefined
  const m = new RegExp(`^(-?\\d+)([${Object.keys(units).join('')}])?$`).exec(v.toLowerCase())
  if (!m) throw new ModuleFailure(`failed to process ${name}`, { [name]: v })
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1)
}

export const find = defineModule({
  name: 'find',
  aliases: ['ansible.builtin.find'],
  summary: 'Return a list of files based on specific criteria',
  description:
    'Lists the files (or directories, links, anything) under `paths` whose base name matches `patterns` (shell globs, or Python regexes with use_regex) ' +
    'and not `excludes`, older or younger than `age`, larger or smaller than `size`, with a line matching `contains`. Never changes anything.',
  params: {
    paths: { type: 'list', elements: 'path', required: true, aliases: ['name', 'path'], description: 'Directories to search.' },
    patterns: {
      type: 'list',
      elements: 'str',
      default: [],
      aliases: ['pattern'],
      description: 'Base names to match: shell globs, or Python regexes (re.match) with use_regex; any one matches. Default all.',
    },
    excludes: { type: 'list', elements: 'str', aliases: ['exclude'], description: 'Base names to leave out (globs, or regexes with use_regex).' },
    contains: {
      type: 'str',
      description: 'A Python regex a line of the file must match (re.match per line; re.search on the whole file with read_whole_file). Files only.',
    },
    read_whole_file: { type: 'bool', default: false, description: 'Apply `contains` to the whole file instead of line by line.' },
    file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'], description: 'Type of file to select.' },
    age: { type: 'str', description: 'Select files whose age is equal to or greater than this (s, m, h, d, w; e.g. 2d); negative: equal to or less.' },
    age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'], description: 'The timestamp age compares against.' },
    size: { type: 'str', description: 'Select files whose size is equal to or greater than this (b, k, m, g, t; e.g. 10m); negative: equal to or less.' },
    recurse: { type: 'bool', default: false, description: 'Descend into directories.' },
    hidden: { type: 'bool', default: false, description: 'Include hidden files (names starting with a dot).' },
    follow: { type: 'bool', default: false, description: 'Follow symlinks to directories while recursing.' },
    get_checksum: { type: 'bool', default: false, description: 'Return the sha1 of every regular file found.' },
    use_regex: { type: 'bool', default: false, description: 'Patterns and excludes are Python regexes instead of globs.' },
    depth: { type: 'int', description: 'How deep to recurse (1: only the top level); default unlimited.' },
  },
  returns: {
    files: 'the matches: path and the stat fields (mode, isdir, isreg, islnk, uid, gid, pw_name, gr_name, size, mtime, ...; checksum with get_checksum)',
    matched: 'how many were found',
    examined: 'how many entries were looked at',
    skipped_paths: 'paths that could not be searched, with why',
    msg: "'All paths examined', or 'Not all paths examined, check warnings for details'",
  },
  examples: `
- name: Logs older than two weeks
  find:
    paths: /var/log/airflow
    patterns: "*.log"
    age: 2w
    recurse: true
  register: old_logs
- file:
    path: "{{ item.path }}"
    state: absent
  loop: "{{ old_logs.files }}"
`,
  async plan(p, ctx) {
    const q = {
      paths: p.paths,
      patterns: p.patterns,
      excludes: p.excludes ?? [],
      contains: p.contains,
      read_whole_file: p.read_whole_file,
      file_type: p.file_type as 'any' | 'directory' | 'file' | 'link',
      age: amount(p.age, 'age', SECONDS),
      age_stamp: p.age_stamp as 'atime' | 'ctime' | 'mtime',
      size: amount(p.size, 'size', BYTES),
      recurse: p.recurse,
      hidden: p.hidden,
      follow: p.follow,
      get_checksum: p.get_checksum,
      use_regex: p.use_regex,
      depth: p.depth,
    }
    const r = await ctx.fact(findFiles, q)
    const skipped = Object.keys(r.skipped_paths).length > 0
    const msg = skipped ? 'Not all paths examined, check warnings for details' : 'All paths examined'
    const why = skipped
      ? `; not searched: ${Object.entries(r.skipped_paths)
          .map(([k, v]) => `${k} (${v})`)
          .join(', ')}`
      : ''
    return {
      kind: 'ok',
      reason: `${r.files.length} of ${r.examined} entries under ${p.paths.join(', ')} match${why}`,
      data: { files: r.files.map((f) => ({ ...f, ...statTimes(f) })), matched: r.files.length, examined: r.examined, skipped_paths: r.skipped_paths, msg },
    }
  },
})
