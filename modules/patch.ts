/**
 * patch (ansible.posix.patch): a patch applied with GNU patch, or reverted (state=absent), as
 * Ansible's module decides it: a dry run of the opposite direction (`--reverse` for present)
 * that succeeds means it is already done (ok); otherwise patch runs (changed), and a patch that
 * does not apply fails with patch's own words. Check mode dry-runs the patch too, so it fails
 * where the run would. `src` is a file on the controller (found as copy finds its src), fed to
 * patch on its standard input (`--input=-`), or with remote_src a file on the host.
 * Effects: the dry runs of this patch in both directions; the patched files become unknown.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { FIND_BIN_SH } from './facts/bin-path.js'
import { defineModule, type Fact, type FactEffect, type Plan, shScript, type Unknowable } from './types.js'

export interface PatchOptions {
  strip: number
  /** where patch runs (--directory): basedir, or the directory of dest */
  directory: string
  /** --input: the patch file on the host, or '-' (standard input) */
  input: string
  binary: boolean
  ignoreWhitespace: boolean
  dest?: string
  state: 'present' | 'absent'
}

/** Ansible's "is it already done?" dry run: the opposite direction of state, without --batch. */
export function doneCheckArgs(o: PatchOptions): string[] {
  const args = ['--quiet', '--forward', `--strip=${o.strip}`, `--directory=${o.directory}`, `--input=${o.input}`, '--dry-run']
  if (o.binary) args.push('--binary')
  if (o.ignoreWhitespace) args.push('--ignore-whitespace')
  if (o.dest !== undefined) args.push(o.dest)
  if (o.state === 'present') args.push('--reverse')
  return args
}

/** Ansible's patch run (a dry run in check mode). */
export function applyArgs(o: PatchOptions, dryRun: boolean, backup: boolean): string[] {
  const args = ['--quiet', '--forward', '--batch', '--reject-file=-', `--strip=${o.strip}`, `--directory=${o.directory}`, `--input=${o.input}`]
  if (dryRun) args.push('--dry-run')
  if (o.binary) args.push('--binary')
  if (o.ignoreWhitespace) args.push('--ignore-whitespace')
  if (o.dest !== undefined) args.push(o.dest)
  if (backup) args.push('--backup', '--version-control=numbered')
  if (o.state === 'absent') args.push('--reverse')
  return args
}

/** Exit code of the script's own checks (patch exits 0, 1 or 2). */
const CHECK_FAILED = 97

// $1 src on the host ('' for the controller's patch on stdin), $2 dest, $3 basedir; then patch's arguments.
// Ansible's checks first, in its order and words; patch by its full path, as Ansible runs it (its messages name it so).
const RUN_PATCH = `src=$1 dest=$2 base=$3; shift 3
no() { printf '%s\\n' "$1" >&2; exit ${CHECK_FAILED}; }
if [ -n "$src" ] && [ ! -r "$src" ]; then no "src $src doesn't exist or not readable"; fi
if [ -n "$dest" ] && [ ! -w "$dest" ]; then no "dest $dest doesn't exist or not writable"; fi
if [ -n "$base" ] && [ ! -e "$base" ]; then no "basedir $base doesn't exist"; fi
${FIND_BIN_SH}
find_bin patch || no 'patch command not found'
p=$bin
if [ -n "$src" ]; then exec "$p" "$@"; fi
base64 -d | "$p" "$@"`

/** One run of patch: its arguments, the paths Ansible checks first, and the patch (on the host, or its bytes). */
export interface PatchRun {
  args: string[]
  src?: string
  dest?: string
  basedir?: string
  /** the controller's patch: base64 of its bytes and their sha256 */
  content?: { base64: string; sha256: string }
}

const runCommand = (r: PatchRun) => ({
  ...shScript(RUN_PATCH, r.src ?? '', r.dest ?? '', r.basedir ?? '', ...r.args),
  ...(r.content ? { stdin: r.content.base64 } : {}),
})

export type PatchAnswer = { error: string } | { rc: number; stdout: string; stderr: string }

/**
 * A read-only run of patch (--dry-run). Its key names what it reads, so that what an earlier change
 * makes unknown in check mode reaches it (engine/unknown.ts): dest, or the files below basedir
 * (as BASEDIR/.), and the patch (its path on the host, or its checksum).
 */
export const patchDryRun: Fact<PatchAnswer, [PatchRun]> = {
  name: 'patch.dry-run',
  key: (r) => JSON.stringify([r.dest ?? `${r.basedir}/.`, r.src ?? r.content?.sha256 ?? '', ...r.args]),
  command: runCommand,
  parse: (out) => (out.rc === CHECK_FAILED && out.stderr.trim() ? { error: out.stderr.trim() } : { rc: out.rc, stdout: out.stdout, stderr: out.stderr }),
}

/** Ansible's message for a patch that did not apply: what patch said on stderr, else on stdout (as printed); or why it did not run. */
export function patchFailure(rc: number, stdout: string, stderr: string): string {
  if (rc === CHECK_FAILED && stderr.trim()) return stderr.trim()
  return stderr || stdout || `patch failed (exit ${rc})`
}

const absolute = (name: string, value: string | undefined) => {
  if (value !== undefined && !value.startsWith('/'))
    throw new ModuleFailure(`argument '${name}' must be an absolute path on the host, got ${JSON.stringify(value)}`)
}

export const patch = defineModule({
  name: 'patch',
  aliases: ['ansible.posix.patch'],
  summary: 'Apply a patch (or revert it) with GNU patch',
  description:
    'A dry run decides, as in Ansible: present applies the patch unless it reverses cleanly (already applied); absent reverts it ' +
    'unless it applies cleanly (not applied). A patch that does not apply fails with what patch says, in check mode too.',
  params: {
    src: {
      type: 'path',
      required: true,
      aliases: ['patchfile'],
      controller: 'remote_src',
      description: 'The patch: on the controller (files/, as copy finds src), or on the host with remote_src.',
    },
    dest: { type: 'path', aliases: ['originalfile'], description: 'The one file to patch (absolute); patch then runs in its directory.' },
    basedir: { type: 'path', description: 'The directory the patch is applied in (absolute); one of dest and basedir is required.' },
    strip: { type: 'int', default: 0, description: 'Leading path components to strip from the names in the patch (patch --strip).' },
    remote_src: { type: 'bool', default: false, description: 'src is a file on the host.' },
    backup: { type: 'bool', default: false, description: 'Numbered backups of the patched files (FILE.~1~).' },
    binary: { type: 'bool', default: false, description: "patch --binary: no CRLF-to-LF guessing; the patch's and the file's line endings must match." },
    ignore_whitespace: { type: 'bool', default: false, description: 'patch --ignore-whitespace.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'present applies the patch, absent reverts it.' },
  },
  requiredOneOf: [['dest', 'basedir']],
  returns: {},
  examples: `
- name: One file patched
  ansible.posix.patch:
    src: nginx.conf.patch
    dest: /etc/nginx/nginx.conf
- name: A source tree patched, as by patch -p1
  ansible.posix.patch:
    src: fix-build.patch
    basedir: /usr/local/src/tool-1.2
    strip: 1
`,
  async plan(p, ctx): Promise<Plan> {
    // dest, basedir and a host's src come expanded on the host (schema.ts, expandPathArgs)
    const hostSrc = p.remote_src ? p.src : undefined
    const given = { dest: p.dest, basedir: p.basedir }
    absolute('dest', given.dest)
    absolute('basedir', given.basedir)
    absolute('src', hostSrc)
    let content: PatchRun['content']
    if (!p.remote_src) {
      const local = ctx.findFile(p.src, 'files')
      let bytes: Buffer
      try {
        bytes = readFileSync(local)
      } catch (e) {
        throw new ModuleFailure(`could not read the patch ${local}: ${(e as Error).message}`)
      }
      content = { base64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') }
    }
    const o: PatchOptions = {
      strip: p.strip,
      directory: given.basedir ?? posix.dirname(given.dest!),
      input: hostSrc ?? '-',
      binary: p.binary,
      ignoreWhitespace: p.ignore_whitespace,
      dest: given.dest,
      state: p.state,
    }
    const run = (args: string[]): PatchRun => ({ args, src: p.remote_src ? hostSrc : undefined, ...given, content })
    const target = given.dest ?? given.basedir!
    const verb = p.state === 'present' ? 'apply' : 'revert'
    const summary = `${verb} ${p.src} ${given.dest ? 'to' : 'in'} ${target}`
    const done = await ctx.fact(patchDryRun, run(doneCheckArgs(o)))
    if ('error' in done) {
      // check mode: an earlier planned task creates what is missing (the patch cannot be tried on it yet)
      const planned = [given.dest, given.basedir, p.remote_src ? hostSrc : undefined].some(
        (path) => path !== undefined && (ctx.effect('path.stat', path) as { exists?: boolean } | undefined)?.exists,
      )
      if (ctx.check && planned) return { kind: 'change', changes: [{ summary: `${summary} (created by an earlier task)`, commands: [] }] }
      throw new ModuleFailure(done.error)
    }
    if (done.rc === 0)
      return { kind: 'ok', reason: `the patch ${p.src} is ${p.state === 'present' ? 'already applied' : 'not applied'} ${given.dest ? 'to' : 'in'} ${target}` }
    if (ctx.check) {
      const trial = await ctx.fact(patchDryRun, run(applyArgs(o, true, p.backup)))
      if ('error' in trial) throw new ModuleFailure(trial.error)
      if (trial.rc !== 0) throw new ModuleFailure(patchFailure(trial.rc, trial.stdout, trial.stderr))
    }
    // afterwards, the dry run of this state's check passes and the other state's does not
    const other = doneCheckArgs({ ...o, state: p.state === 'present' ? 'absent' : 'present' })
    const effects: FactEffect[] = [
      { fact: patchDryRun.name, key: patchDryRun.key!(run(doneCheckArgs(o))), value: { rc: 0, stdout: '', stderr: '' } },
      { fact: patchDryRun.name, key: patchDryRun.key!(run(other)), value: { rc: 1, stdout: '', stderr: '' } },
    ]
    const unknowns: Unknowable[] = [given.dest ? { under: given.dest, self: true } : { under: target }]
    return { kind: 'change', changes: [{ summary, commands: [runCommand(run(applyArgs(o, false, p.backup)))], effects, unknowns }] }
  },
  interpret(_p, out) {
    if (out.rc === 0) return { failed: false, data: {} }
    return { failed: true, msg: patchFailure(out.rc, out.stdout, out.stderr), data: {} }
  },
})
