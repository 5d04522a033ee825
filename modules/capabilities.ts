/**
 * capabilities (community.general.capabilities): one file capability present or absent, as
 * Ansible's module decides it from `getcap -v PATH` (parseGetcap, with its quirks: the exact
 * name, operator and flags must be listed, so "cap_net_raw+ep" changes on every run because getcap
 * prints "cap_net_raw=ep"; only getcap's first clause is read). A change runs setcap with what
 * Ansible read, the capability replaced or dropped. Effects: capabilities.getcap key=<path> -> what
 * getcap prints afterwards (libcap's rules, capabilities-text.ts), so later tasks in check mode
 * plan against it.
 */
import { ModuleFailure } from '../engine/errors.js'
import type { ExecResult } from '../engine/connection/types.js'
import type { PathStat } from './facts/path.js'
import { CapTextError, getcapAfter, parseCap, setcapFor, setcapRefusal } from './capabilities-text.js'
import { FIND_BIN_SH } from './facts/bin-path.js'
import { defineModule, shScript, type Change, type Fact, type Plan } from './types.js'

// getcap and setcap where Ansible's get_bin_path looks
// (setcap too: Ansible's module asks for both before it reads)
const GETCAP = `${FIND_BIN_SH}
find_bin getcap || { printf 'missing\\ngetcap\\n%s' "$binpath"; exit 0; }
getcap=$bin
find_bin setcap || { printf 'missing\\nsetcap\\n%s' "$binpath"; exit 0; }
echo read
exec "$getcap" -v "$1"`

export interface GetcapOutput {
  /** getcap or setcap is not installed: [program, the directories searched] */
  missing?: [string, string]
  rc: number
  stdout: string
  stderr: string
}

/** `getcap -v PATH` (read-only), as Ansible runs it: exit code, stdout and stderr as they are. */
export const getcap: Fact<GetcapOutput, [string]> = {
  name: 'capabilities.getcap',
  key: (path) => path,
  command: (path) => shScript(GETCAP, path),
  parse(out: ExecResult) {
    const [head, ...rest] = out.stdout.split('\n')
    if (head === 'missing') return { missing: [rest[0] ?? '', rest.slice(1).join('\n')], rc: 0, stdout: '', stderr: '' }
    if (head !== 'read') throw new Error(`getcap could not run: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return { rc: out.rc, stdout: rest.join('\n'), stderr: out.stderr }
  },
}

/** Check mode counts the change, as Ansible's does; the summary says when setcap will refuse it. */
function refusal(text: string): string {
  const why = setcapRefusal(text)
  return why ? ` (setcap will refuse it: ${why})` : ''
}

/** A capability text error as the task's failure. */
function tryCap<T>(read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof CapTextError) throw new ModuleFailure(e.message)
    throw e
  }
}

export const capabilities = defineModule({
  name: 'capabilities',
  aliases: ['community.general.capabilities'],
  summary: 'Set or remove a file capability (setcap/getcap)',
  description:
    'present sets the capability ("cap_net_bind_service=ep") on the file, keeping the others getcap lists; absent removes it (the name alone ' +
    'is enough). As in Ansible, the capability must match what getcap prints to count as there: use "=" (getcap never prints "+ep"), ' +
    'or the task changes on every run. Needs getcap and setcap (Debian: libcap2-bin).',
  params: {
    path: { type: 'str', required: true, aliases: ['key'], description: 'The file (a regular file: not a symlink or directory).' },
    capability: { type: 'str', required: true, aliases: ['cap'], description: 'NAME OP FLAGS, e.g. cap_net_bind_service=ep (OP: =, + or -).' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the capability is set.' },
  },
  returns: { state: 'the state asked for', msg: "'capabilities changed' when it changed", stdout: "setcap's output" },
  examples: `
- community.general.capabilities:
    path: /usr/bin/node
    capability: cap_net_bind_service=ep
- community.general.capabilities:
    path: /usr/bin/ping
    capability: cap_net_raw
    state: absent
`,
  async plan(p, ctx): Promise<Plan> {
    const path = p.path.trim()
    // the capability's own errors first, as Ansible reads it before getcap
    const want = tryCap(() => parseCap(p.capability.trim().toLowerCase(), p.state === 'present'))
    let out = await ctx.fact(getcap, path)
    if (out.missing) throw new ModuleFailure(`Failed to find required executable "${out.missing[0]}" in paths: ${out.missing[1]}`)
    // check mode: a file an earlier task creates has no capabilities yet
    const created = (ctx.effect('path.stat', path) as PathStat | undefined)?.exists
    if (created && /\(No such file or directory\)/.test(out.stderr)) out = { rc: 0, stdout: `${path}\n`, stderr: '' }
    if (out.rc !== 0 || out.stderr !== '') throw new ModuleFailure(`Unable to get capabilities of ${path}`, { stdout: out.stdout.trim(), stderr: out.stderr })
    const text = tryCap(() => setcapFor(out.stdout, path, p.capability, p.state))
    if (text === undefined) return { kind: 'ok', reason: `${path}: ${out.stdout.trim()}`, data: { state: p.state } }
    const after = getcapAfter(path, text)
    const change: Change = {
      summary: `${p.state === 'present' ? 'set' : 'remove'} ${p.state === 'present' ? want.join('') : want[0]} on ${path}: setcap '${text}'${refusal(text)}`,
      commands: [shScript(`${FIND_BIN_SH}\nneed_bin setcap\nexec "$bin" "$1" "$2"`, text, path)],
      // setcap would refuse the text, or acplay cannot tell what getcap prints then
      ...(after === undefined
        ? { unknowns: [{ fact: getcap.name, key: path }] }
        : { effects: [{ fact: getcap.name, key: path, value: { rc: 0, stdout: after, stderr: '' } satisfies GetcapOutput }] }),
    }
    const data = ctx.check ? { msg: 'capabilities changed' } : { state: p.state, msg: 'capabilities changed', stdout: '' }
    return { kind: 'change', changes: [change], data }
  },
  interpret(p, out) {
    if (out.rc !== 0) return { failed: true, msg: `Unable to set capabilities of ${p.path.trim()}`, data: { stdout: out.stdout, stderr: out.stderr } }
    return { failed: false, data: { stdout: out.stdout } }
  },
})
