/**
 * archive (community.general.archive): files and trees into a tar (gz, bz2, xz or none) or zip
 * archive, or one file compressed alone, with the decisions of community.general 6.6's module
 * (archive/decide.ts): the same sources (globs, exclude_path, exclusion_patterns), root, member
 * names and order, results, failure words, and `changed` when the new archive's members differ from
 * dest's as the module compares them. Read in one python3 process (facts/archive-sources.ts);
 * written with tar, gzip, bzip2, xz (python3's zipfile for a zip) into a temp file beside dest and
 * renamed: dest is never half-written, and left alone when the archive would not change. Check mode
 * predicts from the same read, with what earlier tasks of the run write (archive/earlier.ts).
 *
 * Effects: path.stat of dest, and of every removed source (remove: true).
 */
import { UnknownFact } from '../engine/unknown.js'
import { ModuleFailure } from '../engine/errors.js'
import { archiveSources, type SourcesQuery } from './facts/archive-sources.js'
import type { PathStat } from './facts/path.js'
import { byBytes, decide, type Decision } from './archive/decide.js'
import { withEarlier } from './archive/earlier.js'
import { attrsChange, attrWant, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { fmtMode } from './files/mode.js'
import { withPathInfo } from './files/path-result.js'
import { defineModule, shScript, type Change, type FactEffect, type Plan } from './types.js'

// zipfile as the module uses it (deflated, zip64); the pairs (source, name) NUL-separated on stdin
const ZIP = `import sys, zipfile
data = sys.stdin.buffer.read().split(b'\\0')[:-1]
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED, True) as z:
    for i in range(0, len(data), 2): z.write(data[i], data[i + 1].decode('utf-8', 'surrogateescape'))`

// fmt dest root keep src: the archive into a temp file beside dest, given dest's owner and mode (keep=1) or a new file's, then renamed
const WRITE = `fmt=$1 dest=$2 root=$3 keep=$4 src=$5 zip=$6
tmp=$(mktemp -- "\${dest%/*}/.\${dest##*/}.acplay.XXXXXX") || exit 1
trap 'rm -f -- "$tmp"' EXIT
tar() { command tar -c "$@" --format=posix -f "$tmp" -C "$root" --no-recursion --null --verbatim-files-from -T -; }
case $fmt in
  zip) python3 -c "$zip" "$tmp" ;;
  tar) tar ;;
  tar.gz) tar -z ;;
  tar.bz2) tar -j ;;
  tar.xz) tar -J ;;
  gz) gzip -c < "$src" > "$tmp" ;;
  bz2) bzip2 -c < "$src" > "$tmp" ;;
  xz) xz -c < "$src" > "$tmp" ;;
esac || exit 1
if [ "$keep" = 1 ]; then chown --reference="$dest" -- "$tmp" && chmod --reference="$dest" -- "$tmp"
else chmod "$(printf %o $((0666 & ~$(umask))))" -- "$tmp"; fi || exit 1
mv -f -- "$tmp" "$dest" || exit 1
trap - EXIT`

export const archive = defineModule({
  name: 'archive',
  aliases: ['community.general.archive'],
  summary: 'Creates a compressed archive of one or more files or trees',
  description:
    'Archives files and trees (paths, globs) into a tar, tar.gz, tar.bz2, tar.xz or zip archive on the host, or compresses one file alone ' +
    '(gz, bz2, xz); optionally removes the sources. Changed when the archive would differ from dest as community.general 6.6 compares them ' +
    '(tar: the members\u2019 header fields; zip: names and CRCs; one compressed file: its content); dest is written to a temp file and renamed, ' +
    'and left alone when nothing differs.',
  params: {
    path: { type: 'list', elements: 'path', required: true, description: 'Absolute paths or globs (a glob holds * or ?) of the files and trees to archive.' },
    format: {
      type: 'str',
      default: 'gz',
      choices: ['bz2', 'gz', 'tar', 'xz', 'zip'],
      description: 'The compression (gz, bz2, xz: a tar of several, or the one file alone), tar, or zip.',
    },
    dest: { type: 'path', description: 'The archive. Required unless path is one file (then the file plus "." and the format).' },
    exclude_path: { type: 'list', elements: 'path', default: [], description: 'Paths or globs taken out of the expanded path list (not out of a tree).' },
    exclusion_patterns: {
      type: 'list',
      elements: 'path',
      description: 'Glob patterns of members not archived (a tar member by its name in the archive, a zip member by its path).',
    },
    force_archive: { type: 'bool', default: false, description: 'Archive a single file (tar or zip) instead of compressing it alone.' },
    remove: { type: 'bool', default: false, description: 'Delete the archived sources (and the source trees) after archiving.' },
    ...fileCommonParams,
  },
  returns: {
    archived: 'the source paths added (a zip names its files only, as the module does)',
    dest: 'the archive',
    dest_state: 'archive, compress, incomplete (some paths were missing) or absent',
    arcroot: 'the directory member names are relative to',
    missing: 'the source paths that do not exist',
    expanded_paths: 'path with its globs expanded',
    expanded_exclude_paths: 'exclude_path with its globs expanded',
    state: "dest's state (file, or absent), with its uid, gid, owner, group, mode and size",
  },
  examples: `
- name: Yesterday's logs into one archive, then gone
  community.general.archive:
    path: /var/log/app/*.log.1
    dest: /var/backups/app-logs.tar.xz
    format: xz
    remove: true
    mode: "0640"
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (p.attributes !== undefined) throw new ModuleFailure('argument attributes (lsattr flags) is not supported by acplay yet')
    for (const [k, v] of [...p.path.map((x) => ['path', x]), ...p.exclude_path.map((x) => ['exclude_path', x]), ['dest', p.dest]] as [
      string,
      string | undefined,
    ][])
      if (v !== undefined && v !== '' && !/^[/~$]/.test(v))
        throw new ModuleFailure(`argument '${k}' must be an absolute path (acplay has no working directory for it), got ${JSON.stringify(v)}`)
    const mustArchive = p.force_archive || p.path.some((x) => /[*?]/.test(x))
    const q: SourcesQuery = { paths: p.path, excludes: p.exclude_path, format: p.format, mustArchive, ...(p.dest ? { dest: p.dest } : {}) }
    let s = await ctx.fact(archiveSources, q)
    if (ctx.check) {
      // what an earlier task makes unknowable cannot be read ahead; what it writes is laid over the read
      for (const key of probes(s, p.path, p.dest)) {
        const after = ctx.unknown?.('path.stat', key)
        if (after !== undefined) throw new UnknownFact('path.stat', key, after)
      }
      const effects = (ctx.effectKeys?.('path.stat') ?? []).map((k): [string, PathStat] => [k, ctx.effect('path.stat', k) as PathStat])
      const destPath = s.dest?.path
      const onDest = destPath !== undefined ? effects.find(([k]) => k === destPath) : undefined
      if (onDest?.[1].exists) throw new UnknownFact('path.stat', destPath!, 'an earlier task')
      s = withEarlier(s, { paths: p.path, excludes: p.exclude_path, single: !mustArchive }, effects).sources
      if (onDest && s.dest) s = { ...s, dest: { ...s.dest, exists: false, readable: false, isdir: false, members: undefined, stat: { exists: false } } }
    }
    const d = decide(s, p, p.dest)
    const destStat: PathStat = s.dest?.path === d.dest ? s.dest.stat : { exists: false }
    const data: Record<string, unknown> = {
      archived: ctx.check ? [] : d.archived,
      dest: d.dest,
      dest_state: ctx.check && d.branch !== 'none' ? 'absent' : d.destState,
      arcroot: d.root,
      missing: d.missing,
      expanded_paths: s.expanded,
      expanded_exclude_paths: s.excluded,
    }
    const changes: Change[] = []
    let after: PathStat = destStat
    // the module writes the archive whenever a source exists, and counts it only when it differs from dest
    if (d.branch !== 'none') {
      if (s.dest?.isdir) throw new ModuleFailure(`Error, dest ${d.dest} is a directory`)
      if (s.dest && !s.dest.parentOk) {
        const why = `[Errno 2] No such file or directory: '${d.dest}'`
        if (d.branch === 'single' && p.format !== 'zip' && p.format !== 'tar')
          throw new ModuleFailure(`Unable to write to compressed file: ${why}`, { path: d.members[0]!.path, dest: d.dest })
        throw new ModuleFailure(`Error when writing ${p.format === 'zip' || p.format === 'tar' ? p.format : `tar.${p.format}`} archive at ${d.dest}: ${why}`)
      }
      const keep = destStat.exists && destStat.type === 'file'
      after = keep
        ? { ...destStat, sha256: undefined }
        : { exists: true, type: 'file', mode: fmtMode(0o666 & ~s.umask), owner: s.user, group: s.group, nlink: 1 }
      changes.push({ ...writeChange(d, p.format, keep, after), ...(d.changed ? {} : { unchanged: true }) })
    }
    if (after.exists) {
      const attrs = planAttrs(d.dest, after, want)
      if (attrs.commands.length) {
        changes.push(attrsChange(d.dest, after, attrs))
      }
    }
    if (p.remove && d.removals.length) changes.push(removeChange(d, s.entries))
    const plan: Plan = changes.length ? { kind: 'change', changes, data } : { kind: 'ok', reason: okReason(d), data }
    return withPathInfo(plan, d.dest, destStat)
  },
})

function okReason(d: Decision): string {
  const dest = d.destState === 'absent' ? `${d.dest} does not exist` : `${d.dest} is left as it is`
  return `none of the sources exists (${d.missing.join(', ')}): ${dest}`
}

function writeChange(d: Decision, format: string, keep: boolean, after: PathStat): Change {
  const zip = format === 'zip'
  const compress = d.branch === 'single' && !zip && format !== 'tar'
  const fmt = zip ? 'zip' : compress ? format : format === 'tar' ? 'tar' : `tar.${format}`
  const stdin = compress ? undefined : d.members.map((m) => (zip ? `${m.path}\0${m.name}\0` : `${m.name}\0`)).join('')
  const cmd = shScript(WRITE, fmt, d.dest, d.root, keep ? '1' : '0', compress ? d.members[0]!.path : '', zip ? ZIP : '')
  const what = compress ? `${d.members[0]!.path} compressed (${format})` : `${d.members.length} member(s) (${fmt})`
  return {
    summary: `${keep ? 'rewrite' : 'create'} ${d.dest}: ${what}${d.changed ? '' : ', the same as before (the module rewrites it, not counted)'}`,
    commands: [stdin === undefined ? cmd : { ...cmd, stdin }],
    effects: [{ fact: 'path.stat', key: d.dest, value: after }],
  }
}

function removeChange(d: Decision, entries: Record<string, { isdir: boolean }>): Change {
  const gone = [...new Set(d.removals)]
  // every entry below a removed tree is gone too
  const effects: FactEffect[] = Object.keys(entries)
    .filter((k) => gone.some((g) => k === g || k.startsWith(g.endsWith('/') ? g : `${g}/`)))
    .sort(byBytes)
    .map((k) => ({ fact: 'path.stat', key: k.replace(/(.)\/+$/, '$1'), value: { exists: false } }))
  return {
    summary: `remove the archived sources: ${gone.length > 3 ? `${gone.slice(0, 3).join(', ')} and ${gone.length - 3} more` : gone.join(', ')}`,
    commands: [{ argv: ['rm', '-rf', '--', ...gone] }],
    effects,
    // removing the sources is not a change as the module counts it: only the archive and dest's attributes are
    unchanged: true,
  }
}

/** The paths whose state an earlier task may make unknowable: the sources, the walked directories' contents, a glob's directory, dest. */
function probes(s: { paths: string[]; walks: Record<string, string[]>; dest?: { path: string } }, inputs: string[], dest: string | undefined): string[] {
  const out = [...inputs.filter((x) => !/[*?]/.test(x)), ...s.paths]
  for (const dir of Object.keys(s.walks)) out.push(`${dir.replace(/\/+$/, '')}/*`)
  for (const g of inputs.filter((x) => /[*?]/.test(x))) {
    const fixed = g.split('/').findIndex((c) => /[*?[]/.test(c))
    out.push(`${g.split('/').slice(0, fixed).join('/') || ''}/*`)
  }
  const d = s.dest?.path ?? dest
  if (d) out.push(d)
  return out.filter((x) => x.startsWith('/'))
}
