/**
 * get_url: a file from HTTP(S), FTP or file:// onto the host, downloaded BY the host (curl), as
 * Ansible's get_url is. When a download is needed is Ansible's rule:
 *   - dest exists, checksum given, force=no: the dest's digest decides; a match is ok with no
 *     request at all (one read, batched with other tasks' reads on a converged run);
 *   - dest exists otherwise: a request (If-Modified-Since the dest's mtime unless force), the body
 *     compared with the dest: 304 or the same bytes is ok;
 *   - dest a directory: always a request; the name from Content-Disposition or the URL.
 * That request is made at plan time into a temp file that is hashed and removed, so check mode
 * knows exactly whether the run would replace the file (Ansible's check mode guesses). With no dest
 * yet, check mode makes a HEAD request (the URL must answer), the run downloads.
 * The download is checked against `checksum` before it replaces anything: a mismatch leaves dest
 * as it was (Ansible removes dest then). Effects: path.stat(target).
 */
import { ModuleFailure } from '../engine/errors.js'
import { downloadDest } from './facts/download-dest.js'
import type { PathStat } from './facts/path.js'
import { CHECKSUM_ALGORITHMS } from './facts/path-info.js'
import { attrsChange, attrWant, planAttrs, type AttrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { fmtMode, resolveMode } from './files/mode.js'
import { curlFailure, curlRequest, curlToStdout, parseToStdout, URL_PARAMS, type RequestArgs } from './http/curl.js'
import { downloadCommand, parseDownload, type Download, type DownloadArgs } from './http/download.js'
import { defineModule, type Change, type ModuleContext, type Outcome, type Plan } from './types.js'

/** Ansible's url_filename: the URL path's base name, or index.html. */
export function urlFilename(url: string): string {
  let path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '')
  path = path.replace(/[?#].*$/, '')
  return path.slice(path.lastIndexOf('/') + 1) || 'index.html'
}

/** The checksum for `filename` in a checksum file, as Ansible reads one (a bare digest, or `digest  name` lines). */
export function checksumFromFile(text: string, filename: string): string | undefined {
  const lines = text.replace(/\n$/, '').split('\n')
  if (lines.length === 1 && lines[0]!.trim().split(/\s+/).length === 1 && lines[0]!.trim()) return lines[0]!.trim()
  for (const line of lines) {
    const sp = line.indexOf(' ')
    if (sp < 0) continue
    let name = line.slice(sp + 1)
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1)
    if (name.replace(/^[./]+/, '') === filename) return line.slice(0, sp)
  }
  return undefined
}

const isUrl = (s: string) => /^(https?|ftp|file):/i.test(s)

/** `mode|owner|group|uid|gid|size` of the probe's target. */
function targetStat(line: string | undefined): PathStat {
  if (!line) return { exists: false }
  const [mode = '', owner, group, uid, gid, size] = line.split('|')
  return { exists: true, type: 'file', mode: mode.padStart(4, '0'), owner, group, uid: Number(uid), gid: Number(gid), size: Number(size) }
}

/** Ansible's path fields for a path we have a stat of. */
function pathFields(st: PathStat, nlink = 1): Record<string, unknown> {
  if (!st.exists) return {}
  return {
    uid: st.uid,
    gid: st.gid,
    owner: st.owner,
    group: st.group,
    mode: `0${(st.mode ?? '').replace(/^0/, '').padStart(3, '0')}`,
    state: st.type === 'directory' ? 'directory' : nlink > 1 ? 'hard' : 'file',
    size: st.size,
  }
}

const httpError = (d: Download) => `HTTP Error ${d.response.status}: ${d.response.reason}`

/** A probe or head result that is not a usable response: the failure Ansible reports. */
function requestFailure(d: Download, url: string, dest: string): ModuleFailure | undefined {
  if (d.curl !== 0) return new ModuleFailure(d.error ?? curlFailure(d.curl, d.curlError), { url, dest, status_code: -1, elapsed: 0 })
  const { status } = d.response
  const ok = status === 200 || (status === 0 && /^file:/i.test(url)) || (/^ftp:/i.test(url) && status >= 200 && status < 300)
  if (!ok && status !== 304) return new ModuleFailure('Request failed', { status_code: status, response: httpError(d), url, dest, elapsed: 0 })
  if (d.error) return new ModuleFailure(d.error, { url, dest })
  return undefined
}

export const getUrl = defineModule({
  name: 'get_url',
  aliases: ['ansible.builtin.get_url'],
  summary: 'Downloads files from HTTP, HTTPS, or FTP to node',
  description:
    'Downloads a file onto the host, from the host (curl there: its network, proxies and CA store). With `checksum` and an existing dest, a matching digest ' +
    'means no request at all. Otherwise the dest is compared with what the URL serves (If-Modified-Since its mtime unless force); check mode makes that ' +
    'request too (into a temp file, removed), so it says exactly whether the run would replace the file. A checksum mismatch fails and leaves dest alone.',
  params: {
    ...URL_PARAMS,
    dest: {
      type: 'path',
      required: true,
      description: 'Absolute path to download to. A directory: the file gets the server-provided name, or the base name of the URL, and is always requested.',
    },
    tmp_dest: { type: 'path', description: 'Directory for the temporary download (default: the destination directory).' },
    force: {
      type: 'bool',
      default: false,
      description:
        'true (dest not a directory): request the file every time, replacing dest when the content differs; false: a checksum match skips the request.',
    },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy (dest.PID.YYYY-MM-DD@HH:MM:SS~, as Ansible names it) of the replaced file.' },
    checksum: {
      type: 'str',
      default: '',
      description: 'ALGORITHM:DIGEST (md5, sha1, sha224, sha256, sha384, sha512) or ALGORITHM:URL of a checksum file; the download must match it.',
    },
    timeout: { type: 'int', default: 10, description: 'Timeout in seconds to connect, and for a stalled transfer.' },
    ...fileCommonParams,
  },
  returns: {
    dest: 'the destination file',
    url: 'the URL requested',
    status_code: 'the HTTP status code',
    msg: "'OK (N bytes)', 'file already exists', or the HTTP error",
    checksum_src: 'sha1 of the downloaded file',
    checksum_dest: 'sha1 of the destination before',
    md5sum: 'md5 of the destination after a download',
    src: 'the temporary file the download went to',
    backup_file: 'the backup copy, when one was made',
    elapsed: 'seconds the download took',
    'uid, gid, owner, group, mode, state, size': 'of the destination',
  },
  examples: `
- name: The release, verified
  get_url:
    url: https://example.com/app-1.2.tar.gz
    dest: /opt/app-1.2.tar.gz
    checksum: sha256:https://example.com/app-1.2.tar.gz.sha256
    mode: "0644"
- name: Into a directory, named by the server
  get_url:
    url: https://example.com/latest
    dest: /opt/downloads/
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (p.attributes !== undefined) throw new ModuleFailure('argument attributes (lsattr flags) is not supported by acplay yet')
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    const request: RequestArgs = { ...p, follow: 'all', timeout: p.timeout }
    const base = curlRequest(request)
    let algorithm = ''
    let expected = ''
    if (p.checksum) {
      const i = p.checksum.indexOf(':')
      if (i < 0) throw new ModuleFailure('The checksum parameter has to be in format <algorithm>:<checksum>', { dest: p.dest, url: p.url })
      algorithm = p.checksum.slice(0, i).toLowerCase()
      let value = p.checksum.slice(i + 1)
      if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm))
        throw new ModuleFailure(`checksum algorithm ${algorithm} is not supported (${CHECKSUM_ALGORITHMS.join(', ')})`)
      if (isUrl(value)) {
        const sums = curlRequest({ ...request, url: value, force: false })
        const got = parseToStdout(await ctx.run(curlToStdout(sums.config, sums.argv)))
        if (got.status !== 200 && !/^file:/i.test(value)) throw new ModuleFailure('Request failed', { status_code: got.status, url: value, dest: p.dest })
        const found = checksumFromFile(got.body, urlFilename(p.url))
        if (found === undefined) throw new ModuleFailure(`Unable to find a checksum for file '${urlFilename(p.url)}' in '${value}'`)
        value = found
      }
      expected = value.replace(/\W+/g, '').toLowerCase()
      if (!/^[0-9a-f]+$/.test(expected)) throw new ModuleFailure('The checksum format is invalid', { dest: p.dest, url: p.url })
    }
    const dir = p.dest.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/'
    const read = await ctx.fact(downloadDest, p.dest, dir, algorithm)
    const earlier = ctx.effect('path.stat', p.dest) as PathStat | undefined
    const dest: PathStat = earlier ?? read.dest
    const isDir = dest.exists && dest.type === 'directory'
    const args: DownloadArgs = {
      mode: 'probe',
      dest: p.dest,
      isDir,
      tmpDir: p.tmp_dest ?? '',
      algorithm,
      expected,
      conditional: false,
      backup: p.backup,
      owner: want.owner ?? '',
      group: want.group ?? '',
      fileMode: '',
      config: base.config,
      curlArgs: base.argv,
    }
    const ctxArgs = { ctx, p, want, args, user: read.user, group: read.group }

    if (!dest.exists) {
      const parent = earlier ? { exists: true } : read.dir
      if (!parent.exists) throw new ModuleFailure(`Destination ${dir} does not exist`, { dest: p.dest, url: p.url })
      if (ctx.check) {
        const head = parseDownload((await ctx.run(downloadCommand({ ...args, mode: 'head' }))).stdout)
        const failed = requestFailure(head, p.url, p.dest)
        if (failed) throw failed
      }
      return download(ctxArgs, p.dest, { exists: false })
    }
    if (!isDir && !p.force && algorithm && !earlier && read.digest === expected) {
      const attrs = planAttrs(p.dest, dest, want)
      const data = {
        dest: p.dest,
        url: p.url,
        msg: 'file already exists',
        checksum_dest: null,
        checksum_src: null,
        elapsed: 0,
        ...pathFields(dest, read.dest.nlink),
      }
      if (attrs.commands.length === 0) return { kind: 'ok', reason: `${p.dest} exists with the ${algorithm} checksum given`, data }
      return attrsPlan(p.dest, dest, attrs, { ...data, msg: 'file already exists but file attributes changed' })
    }
    if (earlier) return download(ctxArgs, p.dest, dest)
    // a checksum mismatch forces the request (no If-Modified-Since), as in Ansible
    const probe = parseDownload((await ctx.run(downloadCommand({ ...args, conditional: !isDir && !p.force && !algorithm }))).stdout)
    const failed = requestFailure(probe, p.url, p.dest)
    if (failed) throw failed
    if (probe.response.status === 304) {
      return {
        kind: 'ok',
        reason: `${p.dest} is not older than ${p.url} (304 Not Modified)`,
        data: { url: p.url, dest: p.dest, msg: httpError(probe), status_code: 304, elapsed: 0, ...pathFields(dest, read.dest.nlink) },
      }
    }
    const target = probe.target ?? p.dest
    const current = isDir ? targetStat(probe.targetStat) : dest
    if (probe.sha1 !== probe.targetSha1) return download(ctxArgs, target, current, probe)
    if (expected && probe.digest !== expected)
      throw new ModuleFailure(`The checksum for ${target} did not match ${expected}; it was ${probe.digest}.`, { dest: target, url: p.url })
    const data = {
      dest: target,
      url: p.url,
      msg: `OK (${probe.response.headers['content-length'] ?? 'unknown'} bytes)`,
      status_code: probe.response.status,
      checksum_src: probe.sha1,
      checksum_dest: probe.targetSha1,
      src: probe.src,
      elapsed: 0,
      ...pathFields(current),
    }
    const attrs = planAttrs(target, current, want)
    if (attrs.commands.length === 0) return { kind: 'ok', reason: `${target} has the content ${p.url} serves`, data }
    return attrsPlan(target, current, attrs, data)
  },
  interpret(p, out): Outcome {
    // an attributes-only change ran chown/chmod, no download
    if (!/^curl=/m.test(out.stdout)) return out.rc === 0 ? { failed: false } : { failed: true, msg: out.stderr.trim() || `exit code ${out.rc}` }
    const d = parseDownload(out.stdout)
    const base = { url: p.url, dest: d.target ?? p.dest }
    const failed = requestFailure(d, p.url, p.dest)
    if (failed) return { failed: true, msg: failed.message, data: { ...base, ...failed.data } }
    if (out.rc !== 0) return { failed: true, msg: d.error ?? (out.stderr.trim() || `exit code ${out.rc}`), data: base }
    if (d.md5 === undefined) return { failed: false, data: { ...base, ...d.path } }
    return {
      failed: false,
      data: {
        ...base,
        msg: `OK (${d.response.headers['content-length'] ?? 'unknown'} bytes)`,
        status_code: d.response.status,
        checksum_src: d.sha1,
        checksum_dest: d.targetSha1 ?? null,
        md5sum: d.md5,
        src: d.src,
        elapsed: d.elapsed ?? 0,
        ...(d.backup ? { backup_file: d.backup } : {}),
        ...d.path,
      },
    }
  },
})

interface PlanArgs {
  ctx: ModuleContext
  p: { url: string; dest: string }
  want: AttrWant
  args: DownloadArgs
  user: string
  group: string
}

/** The download that replaces (or creates) `target`. */
function download(a: PlanArgs, target: string, current: PathStat, probe?: Download): Plan {
  const exists = current.exists && current.type === 'file'
  const mode = a.want.mode ? fmtMode(resolveMode(a.want.mode, exists ? parseInt(current.mode ?? '644', 8) : 0o644, false)) : ''
  const after: PathStat = {
    exists: true,
    type: 'file',
    mode: mode || (exists ? current.mode : '0644'),
    owner: a.want.owner ?? (exists ? current.owner : a.user),
    group: a.want.group ?? (exists ? current.group : a.group),
  }
  const change: Change = {
    summary: `${exists ? 'replace' : 'download'} ${target} from ${a.p.url}${probe ? ' (its content differs)' : ''}`,
    commands: [downloadCommand({ ...a.args, mode: 'apply', fileMode: mode })],
    diff: a.ctx.diff ? { path: target, before: '', after: '', attrs: exists ? { content: ['old', 'new'] } : { state: ['absent', 'file'] } } : undefined,
    effects: [{ fact: 'path.stat', key: target, value: after }],
    // what is downloaded is known once it is there: its content (and what unpacks it) waits for this task
    unknowns: [{ fact: 'path.content', key: target }],
  }
  return { kind: 'change', changes: [change], data: { dest: target, url: a.p.url } }
}

function attrsPlan(path: string, st: PathStat, attrs: ReturnType<typeof planAttrs>, data: Record<string, unknown>): Plan {
  return { kind: 'change', changes: [attrsChange(path, st, attrs)], data }
}
