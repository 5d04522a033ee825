/**
 * Debian's `ansible` against testbed hosts, for differential tests: modules run by ansible-playbook
 * (one run for many tasks: Ansible costs seconds per run), each result as JSON (the json stdout
 * callback), to compare with what acplay's module returns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { capture } from './cli.js'

export interface AnsibleResult {
  changed?: boolean
  failed?: boolean
  skipped?: boolean
  msg?: string
  [k: string]: unknown
}

export interface AnsibleTask {
  module: string
  args: Record<string, unknown>
  check?: boolean
  become?: boolean
}

/** Runs the tasks in order on one host (each with ignore_errors) and returns each task's result. */
export async function ansibleTasks(inventory: string, host: string, tasks: AnsibleTask[]): Promise<AnsibleResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-ansible-'))
  try {
    const play = [
      {
        hosts: host,
        gather_facts: false,
        tasks: tasks.map((t) => ({ [t.module]: t.args, ignore_errors: true, check_mode: !!t.check, become: !!t.become })),
      },
    ]
    const file = join(dir, 'play.yml')
    writeFileSync(file, JSON.stringify(play))
    const r = await capture(['ansible-playbook', '-i', inventory, file], {
      env: { ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
    })
    let doc: { plays?: { tasks?: { hosts?: Record<string, AnsibleResult> }[] }[] }
    try {
      doc = JSON.parse(r.stdout)
    } catch {
      throw new Error(`ansible-playbook printed no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`)
    }
    const results = (doc.plays?.[0]?.tasks ?? []).map((t) => t.hosts?.[host])
    if (results.length !== tasks.length || results.some((x) => !x)) throw new Error(`ansible-playbook: missing results for ${host}: ${r.stdout}`)
    return results as AnsibleResult[]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function ansibleModule(
  inventory: string,
  host: string,
  module: string,
  args: Record<string, unknown>,
  opts: { check?: boolean; become?: boolean } = {},
) {
  return (await ansibleTasks(inventory, host, [{ module, args, ...opts }]))[0]!
}

/** An Ansible result without Ansible's own bookkeeping (and without keys listed in `drop`), to compare with acplay's data. */
export function comparable(r: Record<string, unknown>, drop: string[] = ['atime']): Record<string, unknown> {
  const { invocation: _i, _ansible_no_log: _n, ansible_facts: _f, action: _a, changed: _c, warnings: _w, ...rest } = r
  return JSON.parse(JSON.stringify(rest, (k, v) => (drop.includes(k) ? undefined : v)))
}
