/**
 * The compatibility corpus, run by both tools: Debian's ansible-playbook on one fresh testbed host,
 * acplay on its twin, from the case's own directory (its ansible.cfg, roles/, collections/), then
 * their outputs and the hosts they left are put side by side.
 *
 * What is compared:
 * - the PLAY RECAP numbers of the host (an `include_tasks`/`include_role` is an `ok` result in
 *   both, printed as `included: FILE for HOST`).
 * - per task (in order, by its printed header) the statuses of the host: ok / changed / skipping /
 *   fatal / ignored / included, per loop item, item labels left out (Ansible prints Python reprs).
 * - the state the playbook manages, printed on each host by the case's state script, with the
 *   host's own name and address replaced by HOST and ADDR (the twins differ only in those).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HostRecap } from '../../engine/report/types.js'
import { acplay, capture, type CliResult, ROOT } from '../helpers/cli.js'
import { netnsName } from '../testbed/network.js'
import { must } from '../testbed/sh.js'
import type { Testbed } from '../testbed/testbed.js'

/** The corpus (ACPLAY_COMPAT_CORPUS: another copy, to try an edited case by hand with cli.ts). */
export const CORPUS = process.env.ACPLAY_COMPAT_CORPUS ?? join(ROOT, 'test', 'compat', 'corpus')

export type Tool = 'ansible' | 'acplay'

/** A host's PLAY RECAP numbers, as acplay's own recap holds them. */
export type Recap = Omit<HostRecap, 'host'>

export interface TaskOutcome {
  /** `TASK [role : name]` or `RUNNING HANDLER [name]` */
  header: string
  /** the host's results in printed order: ok, changed, skipping, fatal, ignored, included; `item` suffix per loop item */
  results: string[]
}

export interface ToolRun extends CliResult {
  recap: Recap
  tasks: TaskOutcome[]
}

export interface CaseRun {
  tool: Tool
  bed: Testbed
  host: string
  /** the case's directory under CORPUS */
  dir: string
  playbook: string
  args: string[]
  /** connect as (inventory ansible_user); tasks use become where they need root */
  user: string
}

const RECAP_KEYS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const

export function parseRecap(out: string, host: string): Recap | undefined {
  const at = out.lastIndexOf('PLAY RECAP')
  if (at < 0) return undefined
  const line = out
    .slice(at)
    .split('\n')
    .find((l) => l.startsWith(`${host} `))
  if (!line) return undefined
  const n = (k: string) => Number(new RegExp(`\\b${k}=(\\d+)`).exec(line)?.[1] ?? Number.NaN)
  return Object.fromEntries(RECAP_KEYS.map((k) => [k, n(k)])) as unknown as Recap
}

const STATUS = /^(ok|changed|skipping|fatal|failed): \[([^\]]+?)(?: -> [^\]]+)?\]/

/** The task headers of a run in order, each with this host's results. */
export function parseTasks(out: string, host: string): TaskOutcome[] {
  const tasks: TaskOutcome[] = []
  let current: TaskOutcome | undefined
  for (const line of out.split('\n')) {
    const header = /^(TASK|RUNNING HANDLER) \[(.*)\] \*+$/.exec(line)
    if (header) {
      current = { header: `${header[1]} [${header[2]}]`, results: [] }
      tasks.push(current)
      continue
    }
    if (line.startsWith('PLAY ')) {
      current = undefined
      continue
    }
    const included = /^included: .* for (.+)$/.exec(line)
    if (included && current && included[1]!.split(', ').includes(host)) {
      current.results.push('included')
      continue
    }
    const status = STATUS.exec(line)
    if (status && current && status[2] === host) {
      const kind = status[1] === 'failed' ? 'fatal' : status[1]!
      current.results.push(line.includes('(item=') ? `${kind} item` : kind)
    } else if (line.trim() === '...ignoring' && current) current.results.push('ignored')
  }
  return tasks.filter((t) => t.results.length > 0)
}

/** One run of the case's playbook by one tool against one host. */
export async function runCase(c: CaseRun): Promise<ToolRun> {
  const tmp = mkdtempSync(join(tmpdir(), `acplay-compat-${c.tool}-`))
  try {
    const cwd = join(CORPUS, c.dir)
    const inventory = c.bed.inventory({ hosts: [c.host], user: c.user })
    const argv = [join(cwd, c.playbook), '-i', inventory, ...c.args]
    // The case's ansible.cfg (or none: never this machine's /etc/ansible/ansible.cfg) for both tools.
    const env = { ANSIBLE_CONFIG: join(cwd, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' }
    const r =
      c.tool === 'ansible'
        ? await capture(['ansible-playbook', ...argv], {
            cwd,
            env: {
              ...env,
              ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
              ANSIBLE_RETRY_FILES_ENABLED: '0',
              ANSIBLE_PIPELINING: '1',
              ANSIBLE_LOCAL_TEMP: join(tmp, 'local'),
              ANSIBLE_SSH_CONTROL_PATH_DIR: join(tmp, 'cp'),
              ANSIBLE_DEPRECATION_WARNINGS: '0',
            },
          })
        : await acplay(['run', ...argv], { cwd, env })
    const tasks = parseTasks(r.stdout, c.host)
    const recap = parseRecap(r.stdout, c.host) ?? { ok: -1, changed: -1, unreachable: -1, failed: -1, skipped: -1, rescued: -1, ignored: -1 }
    return { ...r, recap, tasks }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** What a fresh host needs before either tool runs: a default route (for ansible_default_ipv4) and no unreachable apt sources. */
export async function prepareHost(bed: Testbed, name: string): Promise<void> {
  const host = bed.host(name)
  const via = host.address.replace(/\.\d+$/, '.254')
  // set from outside, in the host's namespace (the container may not change its routes); nothing
  // is ever sent there: the address exists on no host
  await must(['ip', '-n', netnsName(host.slot), 'route', 'replace', 'default', 'via', via, 'dev', 'host0', 'onlink'])
  // the testbed is offline: the image's Debian mirrors cannot be reached, the tests serve their own repositories
  const r = await bed.exec(name, ': > /etc/apt/sources.list; rm -f /etc/apt/sources.list.d/*; rm -rf /var/lib/apt/lists/*')
  if (r.rc !== 0) throw new Error(`preparing ${name}: ${r.stderr}`)
}

/**
 * The managed state on a host: the case's fixed script, after a prelude that defines `show PATH...`
 * (type, owner, mode, and the content of small text files, each line prefixed) for paths and trees.
 * The host's name, address and gateway (where the test's repositories are served) are replaced so
 * the twins compare equal; a text file shown whole gives no size (the twins' addresses may differ in
 * length: 10.231.9.11 and 10.231.10.11).
 */
const SHOW = `
show() {
  for root in "$@"; do
    [ -e "$root" ] || [ -L "$root" ] || { echo "absent $root"; continue; }
    find "$root" -printf '%p\\n' | LC_ALL=C sort | while IFS= read -r p; do
      if [ -L "$p" ]; then echo "link $p -> $(readlink "$p") $(stat -c '%U:%G' "$p")"
      elif [ -d "$p" ]; then echo "dir $p $(stat -c '%U:%G %a' "$p")"
      else
        if [ "$(stat -c %s "$p")" -le 8192 ] && grep -Iq . "$p" 2>/dev/null; then
          echo "file $p $(stat -c '%U:%G %a' "$p") text"
          sed 's/^/  | /' "$p"; [ -z "$(tail -c1 "$p")" ] || printf '\n  (no newline at the end)\n'
        else echo "file $p $(stat -c '%U:%G %a %s' "$p")"
        fi
      fi
    done
  done
}
`

export async function snapshot(bed: Testbed, name: string, script: string): Promise<string> {
  const host = bed.host(name)
  const r = await bed.exec(name, `${SHOW}\n${script}`)
  if (r.rc !== 0) throw new Error(`state of ${name} (rc ${r.rc}): ${r.stderr}`)
  const gateway = new RegExp(`${host.gateway.replaceAll('.', '\\.')}(?!\\d)`, 'g')
  return r.stdout
    .replaceAll(host.address, 'ADDR')
    .replace(gateway, 'GATEWAY')
    .replace(new RegExp(`\\b${name}\\b`, 'g'), 'HOST')
}

/** Line differences, `- ansible` / `+ acplay`, in order of first appearance; empty when equal. */
export function lineDiff(theirs: string[], mine: string[]): string[] {
  const a = new Map<string, number>()
  const b = new Map<string, number>()
  for (const l of theirs) a.set(l, (a.get(l) ?? 0) + 1)
  for (const l of mine) b.set(l, (b.get(l) ?? 0) + 1)
  const out: string[] = []
  for (const l of new Set(theirs)) if ((b.get(l) ?? 0) < a.get(l)!) out.push(`- ansible: ${l}`)
  for (const l of new Set(mine)) if ((a.get(l) ?? 0) < b.get(l)!) out.push(`+ acplay:  ${l}`)
  return out
}

export const taskLines = (tasks: TaskOutcome[]) => tasks.map((t) => `${t.header}: ${t.results.join(' ')}`)

/** Every disagreement between the two runs (empty: they agree): exit code, recap, the per-task statuses in order. */
export function disagreements(theirs: ToolRun, mine: ToolRun): string[] {
  const out: string[] = []
  if (theirs.code !== mine.code) out.push(`exit code: ansible ${theirs.code}, acplay ${mine.code}`)
  for (const k of RECAP_KEYS) if (theirs.recap[k] !== mine.recap[k]) out.push(`recap ${k}: ansible ${theirs.recap[k]}, acplay ${mine.recap[k]}`)
  const a = taskLines(theirs.tasks)
  const b = taskLines(mine.tasks)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue
    out.push(`tasks differ from #${i + 1}:`, ...a.slice(i, i + 6).map((l) => `  - ansible: ${l}`), ...b.slice(i, i + 6).map((l) => `  + acplay:  ${l}`))
    break
  }
  return out
}

/** The last lines of acplay's output, for a failure message (errors are printed there and on stderr). */
export const tail = (r: CliResult, n = 25) => `${r.stdout.split('\n').slice(-n).join('\n')}\n${r.stderr.trim().split('\n').slice(-8).join('\n')}`
