/**
 * fetch: a file from the host to the controller, as `dest/HOSTNAME/SRC` (or `dest` itself with
 * flat). One round trip: the remote sha1 is compared with the controller's copy, and the bytes
 * come along only when they differ. The controller file is written atomically (temp + rename).
 *
 * Check mode plans (Ansible's fetch skips it): "would fetch" exactly when the run would.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { fetchRead } from './facts/fetch-read.js'
import { unreadableMessage } from './facts/file-bytes.js'
import type { PathStat } from './facts/path.js'
import { defineModule, type ModuleContext, type Plan } from './types.js'

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex')

/** The controller path the file goes to, as Ansible's fetch computes it. */
export function fetchDest(src: string, dest: string, flat: boolean, host: string, baseDir: string): string {
  const base = isAbsolute(dest) ? dest : join(baseDir, dest)
  if (flat) {
    try {
      if (!dest.endsWith('/') && statSync(base).isDirectory())
        throw new ModuleFailure('dest is an existing directory, use a trailing slash if you want to fetch src into that directory')
    } catch (e) {
      if (e instanceof ModuleFailure) throw e
    }
    return normalize(dest.endsWith('/') ? join(base, basename(src)) : base)
  }
  const root = normalize(`${resolve(base)}/${host}`)
  // an absolute remote path is that path (/../etc/x is /etc/x); anything reaching out of dest/HOST is refused
  const out = normalize(`${root}/${src.startsWith('/') ? normalize(src) : src}`)
  if (!out.startsWith(`${root}/`)) throw new ModuleFailure(`Detected directory traversal, expected to be contained in '${dest}' but got '${out}'`)
  return out
}

function localBytes(path: string): Buffer | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined
  } catch {
    return undefined
  }
}

/** In check mode: the remote file as an earlier unapplied task would write it (text only). */
function earlierContent(ctx: ModuleContext, src: string): Buffer | 'absent' | undefined {
  const st = ctx.effect('path.stat', src) as PathStat | undefined
  if (!st) return undefined
  if (!st.exists) return 'absent'
  const text = (ctx.effect('path.content', src) as { text?: string } | undefined)?.text
  return text === undefined ? undefined : Buffer.from(text)
}

export const fetch = defineModule({
  name: 'fetch',
  aliases: ['ansible.builtin.fetch'],
  summary: 'Fetch files from remote nodes',
  description:
    'Copies a file from the host to the controller, into `dest/HOSTNAME/SRC` (a tree per host), or to `dest` itself with flat=yes. ' +
    'Only when the controller copy differs (sha1). acplay plans it in check mode (Ansible skips fetch there).',
  params: {
    src: { type: 'path', required: true, userTilde: true, description: 'The file on the remote system to fetch. This must be a file, not a directory.' },
    dest: {
      type: 'str',
      required: true,
      description:
        'A directory on the controller to save the file into (relative: to the playbook directory); with flat, the file name (or a directory ending in /).',
    },
    fail_on_missing: {
      type: 'bool',
      default: true,
      description: 'Fail when the remote file is missing, a directory or unreadable (false: ok, nothing fetched).',
    },
    validate_checksum: { type: 'bool', default: true, description: 'Verify that the fetched file has the remote sha1.' },
    flat: { type: 'bool', default: false, description: 'Write to dest itself instead of dest/HOSTNAME/SRC.' },
  },
  returns: {
    dest: 'the controller path',
    checksum: 'sha1 of the controller file',
    remote_checksum: 'sha1 of the remote file (when fetched)',
    md5sum: 'md5 of the controller file',
    remote_md5sum: 'always null (Ansible compatibility)',
    file: 'the remote path (when nothing was fetched)',
  },
  examples: `
- name: Each host's airflow.cfg, under fetched/HOSTNAME/usr/local/airflow/airflow.cfg
  fetch:
    src: /usr/local/airflow/airflow.cfg
    dest: fetched
- fetch:
    src: /etc/airflow/fernet_key
    dest: "keys/{{ inventory_hostname }}.key"
    flat: true
`,
  async plan(p, ctx): Promise<Plan> {
    const baseDir = typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd()
    const dest = fetchDest(p.src, p.dest, p.flat, ctx.host, baseDir)
    const local = localBytes(dest)
    const localSha = local ? sha1(local) : ''
    const earlier = ctx.check ? earlierContent(ctx, p.src) : undefined
    const read =
      earlier === 'absent'
        ? ({ ok: false, reason: 'missing' } as const)
        : earlier
          ? { ok: true as const, sha1: sha1(earlier), content: earlier }
          : await ctx.fact(fetchRead, p.src, localSha, !ctx.check)
    if (!read.ok) {
      const msg =
        read.reason === 'missing'
          ? 'the remote file does not exist, not transferring, ignored'
          : read.reason === 'directory'
            ? 'remote file is a directory, fetch cannot work on directories'
            : unreadableMessage(read.reason, p.src)
      if (p.fail_on_missing) throw new ModuleFailure(msg, { file: p.src })
      return { kind: 'ok', reason: msg, data: { msg, file: p.src, changed: false } }
    }
    if (read.sha1 === localSha)
      return { kind: 'ok', reason: `${dest} matches ${p.src} (sha1)`, data: { dest, file: p.src, checksum: localSha, md5sum: md5(local!) } }
    const content = read.content
    return {
      kind: 'change',
      changes: [
        {
          summary: `fetch ${p.src} to ${dest} on the controller`,
          commands: [],
          controller: async () => {
            if (!content) throw new ModuleFailure(`the content of ${p.src} was not read`)
            writeAtomic(dest, content)
            const written = readFileSync(dest)
            const checksum = sha1(written)
            if (p.validate_checksum && checksum !== read.sha1)
              throw new ModuleFailure('checksum mismatch', {
                file: p.src,
                dest,
                checksum,
                remote_checksum: read.sha1,
                md5sum: md5(written),
                remote_md5sum: null,
              })
            return { dest, checksum, remote_checksum: read.sha1, md5sum: md5(written), remote_md5sum: null }
          },
        },
      ],
      data: { dest, remote_checksum: read.sha1 },
    }
  },
})

function writeAtomic(dest: string, content: Buffer): void {
  mkdirSync(dirname(dest), { recursive: true })
  const tmp = join(dirname(dest), `.${basename(dest)}.acplay-${randomBytes(6).toString('hex')}`)
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, dest)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new ModuleFailure(`Failed to fetch the file: ${(e as Error).message}`)
  }
}
