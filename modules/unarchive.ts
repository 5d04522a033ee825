/**
 * unarchive: a tar (gz, bz2, xz, zstd) or zip archive unpacked into an existing directory on the
 * host, the archive being the controller's file (sent along), the host's (remote_src) or a URL the
 * host downloads. ONE read decides whether it is unpacked already (facts/archive.ts: `tar --diff`
 * or a zip comparison, and the wanted owner/group/mode of every member), in check mode too, where
 * Ansible's unarchive skips tar archives. A no-op sends the controller archive once (Ansible copies
 * it every run too) and unpacks nothing.
 *
 * Effects: path.stat of every member (a file or a directory), so later tasks in check mode see them.
 */
import { UnknownFact } from '../engine/unknown.js'
import { readFileSync, statSync } from 'node:fs'
import { ModuleFailure } from '../engine/errors.js'
import { archiveCommand, parseArchive, type ArchiveQuery } from './facts/archive.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { fmtMode } from './files/mode.js'
import { pathResult } from './files/path-result.js'
import { statPaths } from './files/stat.js'
import { curlRequest, URL_PARAMS } from './http/curl.js'
import { defineModule, type FactEffect, type Outcome, type Plan, shScript } from './types.js'

export const unarchive = defineModule({
  name: 'unarchive',
  aliases: ['ansible.builtin.unarchive'],
  summary: 'Unpacks an archive after (optionally) copying it from the local machine',
  description:
    'Unpacks a .tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst or .zip archive into an existing directory. The archive is a controller file (files/ of the role or playbook), ' +
    'a file on the host (remote_src), or a URL the host downloads (remote_src). Unpacked already (tar --diff, or for zip size/CRC/mode) and with the wanted ' +
    'owner/group/mode on every member: ok. Check mode says exactly that, for tar archives too.',
  params: {
    src: {
      type: 'path',
      required: true,
      controller: 'remote_src',
      description: 'The archive: a controller path, or with remote_src a path on the host or a URL.',
    },
    dest: { type: 'path', required: true, description: 'An existing directory on the host to unpack into.' },
    remote_src: { type: 'bool', default: false, description: 'src is on the host (or a URL the host downloads).' },
    copy: { type: 'bool', description: 'Deprecated opposite of remote_src.' },
    // the action plugin's _remote_expand_user: `~` is the login user's home from the password database, not $HOME
    creates: { type: 'path', userTilde: true, description: 'When this path exists on the host, nothing is unpacked (the task is skipped).' },
    list_files: { type: 'bool', default: false, description: 'Return the members of the archive as `files`.' },
    keep_newer: { type: 'bool', default: false, description: 'Do not replace files that are newer than their archive members (tar).' },
    exclude: { type: 'list', elements: 'str', default: [], description: 'Members (globs) not to unpack.' },
    include: { type: 'list', elements: 'str', default: [], description: 'Only these members (tar members as tar names them).' },
    extra_opts: { type: 'list', elements: 'str', default: [], description: 'More options for tar or unzip, e.g. ["--strip-components=1"].' },
    validate_certs: { type: 'bool', default: true, description: 'false: do not validate the TLS certificate of a URL src.' },
    io_buffer_size: { type: 'int', default: 65536, description: 'Accepted for compatibility (Ansible reads URLs in chunks of this size).' },
    decrypt: { type: 'bool', default: true, description: 'Accepted for compatibility; acplay has no vault-encrypted files.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [
    ['include', 'exclude'],
    ['copy', 'remote_src'],
  ],
  returns: {
    dest: 'the directory unpacked into (with its uid, gid, owner, group, mode, state, size)',
    handler: 'ZipArchive, TgzArchive or TarArchive',
    src: 'the archive on the host (a temporary copy for a controller file or URL)',
    files: 'the members, with list_files',
    extract_results: 'cmd, rc, out, err of the extraction (when it ran)',
  },
  examples: `
- name: The release, unpacked without its top directory
  unarchive:
    src: https://example.com/app-1.2.tar.gz
    remote_src: true
    dest: /opt/app
    extra_opts: [--strip-components=1]
    owner: astro
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (want.mode?.kind === 'symbolic') throw new ModuleFailure('a symbolic mode is not supported by unarchive yet: give an octal mode')
    if (p.attributes !== undefined) throw new ModuleFailure('argument attributes (lsattr flags) is not supported by acplay yet')
    const remote = p.copy !== undefined ? !p.copy : p.remote_src
    const dest = p.dest.replace(/(.)\/+$/, '$1')
    if (p.creates !== undefined) {
      const st = await statPaths(ctx, [p.creates])
      if (st.get(p.creates).exists)
        // Ansible's action plugin raises AnsibleActionSkip: the task is counted skipped
        return { kind: 'ok', skipped: true, reason: `skipped, since ${p.creates} exists`, data: { skipped: true, msg: `skipped, since ${p.creates} exists` } }
    }
    let content: Buffer | undefined
    if (!remote) {
      const local = ctx.findFile(p.src, 'files')
      try {
        if (!statSync(local).isFile()) throw new Error('not a file')
        content = readFileSync(local)
      } catch (e) {
        throw new ModuleFailure(`Could not find or access '${p.src}': ${(e as Error).message}`)
      }
    } else if (!p.src.includes('://') && !p.src.startsWith('/')) throw new ModuleFailure(`Source '${p.src}' does not exist`)
    const url = remote && p.src.includes('://')
    const http = url
      ? curlRequest({ ...URL_PARAMS_DEFAULTS, url: p.src, validate_certs: p.validate_certs, follow: 'all', timeout: 10 })
      : { argv: [], config: '' }
    const q: ArchiveQuery = {
      src: p.src,
      dest,
      excludes: p.exclude,
      includes: p.include,
      extraOpts: p.extra_opts,
      keepNewer: p.keep_newer,
      owner: want.owner ?? '',
      group: want.group ?? '',
      mode: want.mode?.kind === 'octal' ? fmtMode(want.mode.bits) : '',
      curlArgs: http.argv,
      curlConfig: http.config,
    }
    if (remote && !url && ctx.check) {
      // the archive on the host is one an earlier planned task puts there (get_url): it cannot be read yet
      const after =
        ctx.unknown?.('path.content', p.src) ??
        ctx.unknown?.('path.stat', p.src) ??
        (ctx.effect('path.stat', p.src) !== undefined ? 'an earlier task' : undefined)
      if (after !== undefined) {
        // into a dest that is empty or not there yet, every member is new: the unpack surely changes
        const empty = await ctx.run(shScript('[ -z "$(ls -A -- "$1" 2>/dev/null)" ] && echo empty || echo full', dest))
        if (empty.stdout.trim() !== 'empty') throw new UnknownFact('path.stat', p.src, after)
        const apply = archiveCommand({ ...q, op: 'apply' }, content)
        return {
          kind: 'change',
          waitsFor: after,
          changes: [{ summary: `unpack ${p.src} into ${dest} (empty now)`, commands: [apply], unknowns: [{ under: dest }] }],
          data: { dest: p.dest, src: p.src },
        }
      }
    }
    const earlier = ctx.effect('path.stat', dest) as { exists: boolean; type?: string } | undefined
    if (earlier && !(earlier.exists && earlier.type === 'directory')) throw new ModuleFailure(`dest '${dest}' must be an existing dir`)
    const read = parseArchive((await ctx.run(archiveCommand({ ...q, op: 'check' }, content))).stdout)
    if (read.error) throw new ModuleFailure(read.error)
    // a dest an earlier task would create (check mode) does not exist yet: everything is to unpack
    if (read.noDest && !earlier) throw new ModuleFailure(`dest '${dest}' must be an existing dir`)
    const data: Record<string, unknown> = {
      // as given (expanded): Ansible's result keeps a trailing slash
      dest: p.dest,
      handler: read.handler,
      src: remote && !url ? p.src : read.src,
      ...(p.list_files ? { files: read.files } : {}),
      ...read.destFields,
    }
    if (read.diff.length === 0 && read.attrs === 0 && !read.noDest) {
      return { kind: 'ok', reason: `${p.src} is unpacked in ${dest} (${read.files.length} members match)`, data }
    }
    const why = read.noDest
      ? 'dest is created by an earlier task'
      : read.diff.length
        ? `${read.diff.length} difference(s), e.g. ${read.diff[0]!.replace(/^tar: /, '')}`
        : `${read.attrs} member(s) without the wanted owner/group/mode`
    const effects: FactEffect[] = read.files.map((f) => ({
      fact: 'path.stat',
      key: `${dest}/${f.replace(/\/+$/, '')}`,
      value: { exists: true, type: f.endsWith('/') ? 'directory' : 'file' },
    }))
    const apply = archiveCommand({ ...q, op: 'apply', handler: read.handler, flag: read.flag }, content)
    return {
      kind: 'change',
      changes: [{ summary: `unpack ${p.src} into ${dest} (${why})`, commands: [apply], effects, unknowns: [{ under: dest }] }],
      data,
    }
  },
  interpret(p, out): Outcome {
    const r = parseArchive(out.stdout)
    const cmd = r.rc !== undefined ? { rc: r.rc, out: r.out ?? '', err: r.err ?? '' } : undefined
    if (r.error) return { failed: true, msg: r.error }
    if (out.rc !== 0 || (cmd && cmd.rc !== 0)) {
      return { failed: true, msg: `failed to unpack ${p.src} to ${p.dest}`, data: { extract_results: cmd, stderr: out.stderr } }
    }
    return { failed: false, data: { extract_results: cmd, ...pathResult(out.stdout) } }
  },
})

// get_url's and uri's URL arguments at their defaults, for a URL src (unarchive only has validate_certs)
const URL_PARAMS_DEFAULTS = {
  force: false,
  http_agent: URL_PARAMS.http_agent.default,
  use_proxy: true,
  validate_certs: true,
  force_basic_auth: false,
  use_gssapi: false,
  unredirected_headers: [],
  decompress: true,
  use_netrc: true,
}
