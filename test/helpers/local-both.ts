/**
 * One playbook run by both tools on the controller (local connection): acplay with --json and
 * Debian's ansible-playbook with its json callback, side by side, for the differential tests that
 * compare values, failures or which tasks ran.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay, capture, type CliResult } from './cli.js'

/** What the json callback prints, as far as the tests read it. */
export interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, AnsibleHostResult> }[] }[]
  stats?: Record<string, { ok: number; changed: number; failures: number; skipped: number; rescued: number; ignored: number }>
}

export interface AnsibleHostResult {
  action?: string
  msg?: unknown
  censored?: string
  failed?: boolean
  skipped?: boolean
  changed?: boolean
}

export interface BothRuns {
  ours: CliResult
  theirs: CliResult
  /** acplay's --json document, and ansible-playbook's (each parsed: a run that printed none fails the test with its output) */
  doc: JsonDocument
  ansible: AnsibleJson
}

/** A scratch dir with `files`, an inventory of localhost (hosts.ini) and an ansible.cfg without retry files. */
export function localPlaybookDir(prefix: string, files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), `acplay-${prefix}-`))
  const all = { 'hosts.ini': 'localhost ansible_connection=local\n', 'ansible.cfg': '[defaults]\nretry_files_enabled = False\n', ...files }
  for (const [name, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

const parsed = <T>(tool: string, r: CliResult): T => {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`${tool} printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`)
  }
}

/** `ARGS` (the playbook and its options) run in `dir` by both tools at once. */
export async function runBoth(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<BothRuns> {
  const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ...extraEnv }
  const [ours, theirs] = await Promise.all([
    acplay(['run', '--json', ...args], { cwd: dir, env }),
    capture(['ansible-playbook', ...args], { cwd: dir, env: { ...env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' } }),
  ])
  return { ours, theirs, doc: parsed<JsonDocument>('acplay', ours), ansible: parsed<AnsibleJson>('ansible-playbook', theirs) }
}

/**
 * Both runs succeeded, and each tool's output of the tasks named `prefix...` on localhost agrees:
 * returns acplay's, by task name (acplay's debug output is the msg).
 */
export function sameOutputs(both: BothRuns, prefix = 'seen'): Record<string, unknown> {
  const { ours, theirs, doc, ansible } = both
  assert.equal(ours.code, 0, ours.stdout + ours.stderr)
  assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
  const mine = Object.fromEntries(doc.results.filter((r) => r.task.name?.startsWith(prefix)).map((r) => [r.task.name, r.output]))
  const their = Object.fromEntries(
    ansible.plays.flatMap((p) => p.tasks.filter((t) => t.task.name.startsWith(prefix)).map((t) => [t.task.name, t.hosts.localhost?.msg])),
  )
  assert.deepEqual(mine, their)
  return mine
}

/**
 * Python prints its set of booleans in hash order, which changes from run to run; and Ansible may add
 * paragraphs of advice after the offending line, which acplay does not.
 */
export const sameBooleans = (msg: unknown) =>
  typeof msg === 'string' ? msg.replace(/Valid booleans include: [^\n]*/, 'Valid booleans include: ...').replace(/(\^ here\n)[\s\S]*$/, '$1') : msg

/**
 * Both tools gave the same exit code, the same status to every task on every host (a failure's
 * message too, `censored` under no_log: `sameBooleans` applied), and the same recap.
 */
export function sameStatusesAndRecap({ ours, theirs, doc, ansible }: BothRuns): void {
  assert.equal(ours.code, theirs.code, `${ours.stdout}${ours.stderr}\n${theirs.stdout}${theirs.stderr}`)
  const their = ansible.plays.flatMap((p) =>
    // an include_role's own result (ok, counted nowhere): in Ansible's json callback, not in acplay's --json
    p.tasks
      .filter((t) => !t.task.name.startsWith('include_role : '))
      .flatMap((t) =>
        Object.entries(t.hosts)
          .filter(([, r]) => !(r.action === 'include_role' && !r.failed && !r.skipped))
          .map(([host, r]) => {
            const status = r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok'
            return [t.task.name, host, status, status !== 'failed' ? undefined : r.censored ? 'censored' : sameBooleans(r.msg)]
          }),
      ),
  )
  // the json callback names a role's task `ROLE : NAME`
  const name = (t: { name: string; role?: string }) => (t.role ? `${t.role} : ${t.name}` : t.name)
  const mine = doc.results.map((r) => [name(r.task), r.host, r.status, r.status !== 'failed' ? undefined : r.hidden ? 'censored' : sameBooleans(r.msg)])
  // hosts report a task in the order they finish it
  const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort()
  assert.deepEqual(sorted(mine), sorted(their))
  assert.deepEqual(
    Object.fromEntries(doc.recap.map((r) => [r.host, [r.ok, r.changed, r.failed, r.skipped, r.rescued, r.ignored]])),
    Object.fromEntries(Object.entries(ansible.stats ?? {}).map(([h, s]) => [h, [s.ok, s.changed, s.failures, s.skipped, s.rescued, s.ignored]])),
  )
}
