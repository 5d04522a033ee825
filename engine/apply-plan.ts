/**
 * Turns a Plan's changes into ONE `set -e` shell script (one round trip). Uploads are written
 * atomically: temp file in the destination's directory, owner and mode set, synced, then renamed.
 * Small contents travel inside the script; large files (Upload.source) follow it on the script's
 * stdin, streamed (planApply). A temp file is removed whatever ends the script: an error, a hangup
 * (the run was interrupted), or a stream that stopped short (the controller died): the destination
 * holds its old content or its new one, never a part.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { quote, shellJoin } from './connection/quote.js'
import type { Change, Command, Upload, Validation } from '../modules/types.js'
import { chownCommand, namesKnown } from '../modules/files/owner-lookup.js'

/** What follows each streamed file: OK when all its bytes were sent and match the planned checksum. */
const STREAM_OK = 'ACPLAY-OK\n'
const STREAM_BAD = 'ACPLAY-NO\n'

/** A here-document of base64, so any bytes (and any size) travel inside the script safely. */
function heredoc(content: string | Buffer): string {
  const b64 = Buffer.from(content)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\n')
  return `<<'ACPLAY_EOF'\n${b64}ACPLAY_EOF`
}

/** `sh -c SCRIPT sh ARGS` of a module's own script as a subshell: `( set +e; set -- ARGS; SCRIPT )`. */
function invocation(cmd: Command): string {
  const [sh, c, script, zero, ...args] = cmd.argv
  if (!cmd.inline || sh !== 'sh' || c !== '-c' || script === undefined || zero !== 'sh') return shellJoin(cmd.argv)
  return `( set +e; set -- ${shellJoin(args)}\n${script}\n)`
}

export function commandLine(cmd: Command): string {
  if (cmd.stdin === undefined) return invocation(cmd)
  // The here-document sits in a { } group so the command after the pipe may span lines: a body
  // starts at the line after its `<<` operator, and the delimiter line has to stand alone.
  return `{ base64 -d ${heredoc(cmd.stdin)}\n} | ${invocation(cmd)}`
}

/**
 * Writes a run of uploads: every temp file first (owner, mode, validate), ONE `sync -f` (syncfs:
 * a single flush instead of one fsync per file, which dominated directory copies), then the renames.
 * Nothing is renamed unless every temp file was written and validated.
 */
export function uploadsScript(uploads: readonly Upload[]): string {
  // a signal runs the EXIT trap through `exit`: the temp files go whatever stops the script. They
  // are the subshell's positional parameters, so a directory with spaces stays one path to rm.
  const lines = [
    '(',
    'umask 077',
    'set --',
    `trap 'rm -f -- "$@"' EXIT`,
    "trap 'exit 129' HUP",
    "trap 'exit 130' INT",
    "trap 'exit 143' TERM",
    "trap 'exit 141' PIPE",
  ]
  uploads.forEach((u, i) => {
    const t = `"$t${i}"`
    const dest = quote(u.dest)
    lines.push(`t${i}=$(mktemp "$(dirname ${dest})/.acplay-tmp.XXXXXX")`, `set -- "$@" ${t}`, ...writeLines(u, t))
    // Without an explicit mode an existing file keeps its mode; a new one gets 0644 (Ansible's default under umask 022).
    const keep = [`if [ -e ${dest} ]; then chown --reference=${dest} ${t}; fi`]
    const keepMode = `if [ -e ${dest} ]; then chmod --reference=${dest} ${t}; else chmod 0644 ${t}; fi`
    const wanted = [
      ...(u.owner || u.group ? [`chown ${quote(`${u.owner ?? ''}${u.group ? `:${u.group}` : ''}`)} ${t}`] : keep),
      u.mode ? `chmod ${quote(u.mode)} ${t}` : keepMode,
    ]
    // a name the host does not know: written as without attributes, then failed on after the rename, as Ansible's
    if (u.owner || u.group) lines.push(`unknown${i}=`, `if ${namesKnown(u.owner, u.group)}; then`, ...wanted, `else unknown${i}=1`, ...keep, keepMode, 'fi')
    else lines.push(...wanted)
    if (u.validate) lines.push(...validateLines(u.validate, t, i))
  })
  lines.push('sync -f "$t0"')
  for (const [i, u] of uploads.entries()) lines.push(`mv -f "$t${i}" ${quote(u.dest)}`)
  lines.push('trap - EXIT')
  for (const [i, u] of uploads.entries()) if (u.owner || u.group) lines.push(`[ -z "$unknown${i}" ] || ${commandLine(chownCommand(u, [u.dest]))}`)
  lines.push(')')
  return lines.join('\n')
}

/** Writes the upload's bytes into the temp file: from the script's heredoc, or from its stdin (streamed). */
function writeLines(u: Upload, t: string): string[] {
  if (!u.source) return [`base64 -d > ${t} ${heredoc(u.content ?? '')}`]
  const n = u.source.size
  const bad = quote(`upload of ${u.dest} stopped short, or its source changed while it was sent: not written`)
  return [`head -c ${n} > ${t}`, `[ "$(wc -c < ${t})" -eq ${n} ] && [ "$(head -c ${STREAM_OK.length})" = ${STREAM_OK.trim()} ] || { echo ${bad} >&2; exit 1; }`]
}

/** The bytes that follow the script: each streamed file, read once (checksummed as it goes), then its verdict. */
async function* streamedSources(uploads: readonly Upload[]): AsyncIterable<Buffer> {
  for (const u of uploads) {
    if (!u.source) continue
    const { path, size, sha256 } = u.source
    const hash = createHash('sha256')
    let sent = 0
    for await (const chunk of createReadStream(path, { end: size - 1, highWaterMark: 256 * 1024 })) {
      hash.update(chunk as Buffer)
      sent += (chunk as Buffer).length
      yield chunk as Buffer
    }
    const ok = sent === size && (sha256 === undefined || hash.digest('hex') === sha256)
    yield Buffer.from(ok ? STREAM_OK : STREAM_BAD)
  }
}

/**
 * The validate argv with every '%s' pointing at the temp file: quoted pieces around "$tmp". Its
 * stdout and stderr are kept apart (files beside the temp file, removed with it); a failure prints
 * a mark with the upload's index, the rc and both outputs (base64) on stderr, for the module's
 * result (Ansible's modules return them: validationOf). A validator that cannot start is told
 * apart (Ansible runs it without a shell, so Python's exec error is its failure): its errno (2 no
 * such file, 13 not executable) and the temp file's path, as the mark's rc and a fifth field.
 */
function validateLines(argv: readonly string[], tmp: string, index: number): string[] {
  const arg = (a: string) =>
    a.includes('%s')
      ? a
          .split('%s')
          .map((p) => (p ? quote(p) : ''))
          .join(tmp)
      : quote(a)
  const out = `"$t${index}.vo"`
  const err = `"$t${index}.ve"`
  const mark = (rc: string, outs: string, tail = '') =>
    `printf '\n${VALIDATE_MARK} %s %s %s %s${tail ? ' %s' : ''}\n' ${index} ${rc} ${outs}${tail} >&2; exit 1`
  return [
    `set -- "$@" ${out} ${err}`,
    `vp=${arg(argv[0] ?? '')}; verr=`,
    'case $vp in */*) if [ ! -e "$vp" ]; then verr=2; elif [ -d "$vp" ] || [ ! -x "$vp" ]; then verr=13; fi ;; *) command -v -- "$vp" > /dev/null || verr=2 ;; esac',
    `if [ -n "$verr" ]; then ${mark('"$verr"', "'' ''", ` "$(printf %s ${tmp} | base64 -w0)"`)}; fi`,
    `vrc=0; ${argv.map(arg).join(' ')} > ${out} 2> ${err} || vrc=$?`,
    `if [ "$vrc" -ne 0 ]; then ${mark('"$vrc"', `"$(base64 -w0 < ${out})" "$(base64 -w0 < ${err})"`)}; fi`,
    // passed: its outputs go now (the EXIT trap is lifted once the files are renamed)
    `rm -f -- ${out} ${err}`,
  ]
}

const VALIDATE_MARK = '@@acplay-validate'
const VALIDATE_RE = new RegExp(`\\n${VALIDATE_MARK} (\\d+) (\\d+) ([A-Za-z0-9+/=]*) ([A-Za-z0-9+/=]*)(?: ([A-Za-z0-9+/=]+))?\\n`)
const ERRNO_TEXT: Record<number, string> = { 2: 'No such file or directory', 13: 'Permission denied' }

/** What a failed validate printed, from its mark in a batch's stderr (and that stderr without the mark). */
export function validationOf(stderr: string, uploads: readonly Upload[]): { stderr: string; validation?: Validation } {
  const m = VALIDATE_RE.exec(stderr)
  const upload = m ? uploads[Number(m[1])] : undefined
  if (!m || upload === undefined) return { stderr }
  const text = (b64: string) => Buffer.from(b64, 'base64').toString('utf8')
  const rc = Number(m[2])
  const argv = upload.validate ?? []
  // Python's OSError text of Ansible's run_command, the program as bytes, and the command it ran
  const notStarted =
    m[5] === undefined
      ? undefined
      : { msg: `[Errno ${rc}] ${ERRNO_TEXT[rc]}: b${pyStr(argv[0] ?? '')}`, cmd: shellJoin(argv.map((a) => a.replaceAll('%s', text(m[5]!)))) }
  return {
    stderr: stderr.slice(0, m.index) + stderr.slice(m.index + m[0].length),
    validation: { dest: upload.dest, rc, stdout: text(m[3]!), stderr: text(m[4]!), ...(notStarted ? { notStarted } : {}) },
  }
}

/** Python's repr of a str without quotes inside: '...' (a path with a quote would be "...", rare enough to leave). */
const pyStr = (s: string) => `'${s.replace(/\\/g, '\\\\')}'`

/** A plan's script and steps, and the stream of its large uploads when it has any (ExecOptions.input). */
export function planApply(changes: readonly Change[]): { script: string; steps: PlanStep[]; input?: () => AsyncIterable<Buffer> } {
  const uploads = changes.flatMap((c) => (c.upload ? [c.upload] : []))
  const { script, steps } = planSteps(changes)
  return uploads.some((u) => u.source) ? { script, steps, input: () => streamedSources(uploads) } : { script, steps }
}

/** What one part of a plan script does: a command, or a batch of uploads. */
export type PlanStep = { command: Command } | { uploads: Upload[] }

// On failure the script's EXIT trap names the step that failed and its exit status, on stderr.
const STEP_TRAP = `trap 's=$?; [ "$s" -eq 0 ] || printf "\\n@@acplay-step %s %s\\n" "$acplay_step" "$s" >&2' EXIT`
const STEP_MARK = /\n@@acplay-step (\d+) (\d+)\n$/

/** The plan's ONE script, and its steps in order (a failure names the step's index). */
export function planSteps(changes: readonly Change[]): { script: string; steps: PlanStep[] } {
  const lines = ['set -e', STEP_TRAP]
  const steps: PlanStep[] = []
  const step = (s: PlanStep, text: string) => lines.push(`acplay_step=${steps.push(s) - 1}`, text)
  let batch: Upload[] = []
  const flush = () => {
    if (batch.length) step({ uploads: batch }, uploadsScript(batch))
    batch = []
  }
  for (const c of changes) {
    if (c.upload) batch.push(c.upload)
    // a change's commands run after its upload is in place; consecutive pure uploads share one batch
    if (c.commands.length) {
      flush()
      for (const cmd of c.commands) step({ command: cmd }, commandLine(cmd))
    }
  }
  flush()
  return { script: `${lines.join('\n')}\n`, steps }
}

export const planScript = (changes: readonly Change[]): string => planSteps(changes).script

/** A plan script's result without the failure marks, the step that failed (by the mark) and, when it was a validate, what it printed. */
export function failedStep<T extends { stderr: string }>(out: T, steps: readonly PlanStep[]): { out: T; step?: PlanStep; validation?: Validation } {
  const m = STEP_MARK.exec(out.stderr)
  if (!m) return { out }
  const step = steps[Number(m[1])]
  const { stderr, validation } =
    step && 'uploads' in step ? validationOf(out.stderr.slice(0, m.index), step.uploads) : { stderr: out.stderr.slice(0, m.index), validation: undefined }
  return { out: { ...out, stderr }, step, ...(validation ? { validation } : {}) }
}
