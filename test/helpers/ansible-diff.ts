/**
 * Differential checks against Debian's ansible-playbook: the same tasks run by Ansible on a sibling
 * testbed host, its per-task results (json callback) returned for comparison with acplay's.
 * One ansible-playbook process per call (a few seconds): batch the steps of a test into one call.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModuleOutcome } from '../../engine/module-runner.js'
import type { Testbed } from './testbed-fixture.js'

export interface AnsibleStep {
  /** the module as a task names it (short name or FQCN) */
  module: string
  args: Record<string, unknown>
  /** extra task keywords (become, ignore_errors...) */
  keywords?: Record<string, unknown>
}

export interface AnsibleResult {
  changed: boolean
  failed: boolean
  msg?: string
  /** the module's whole result (what `register` stores) */
  result: Record<string, unknown>
}

/** Runs `steps` as one play on `host` with ansible-playbook; one result per step (failures ignored, so later steps run). */
export async function ansibleRun(bed: Testbed, host: string, steps: AnsibleStep[], opts: { check?: boolean; diff?: boolean } = {}): Promise<AnsibleResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-ansible-'))
  try {
    const tasks = steps.map((s, i) => ({ name: `step ${i}`, [s.module]: s.args, ignore_errors: true, ...s.keywords }))
    // JSON is YAML: no quoting surprises for the values
    writeFileSync(join(dir, 'play.yml'), JSON.stringify([{ hosts: host, gather_facts: false, tasks }]))
    const argv = ['-i', bed.inventory({ hosts: [host] }), join(dir, 'play.yml'), ...(opts.check ? ['--check'] : []), ...(opts.diff ? ['--diff'] : [])]
    const env = {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
      ANSIBLE_RETRY_FILES_ENABLED: 'false',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_DEPRECATION_WARNINGS: 'false',
    }
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const p = spawn('ansible-playbook', argv, { env, cwd: dir })
      let stdout = ''
      let stderr = ''
      p.stdout.on('data', (d) => (stdout += d))
      p.stderr.on('data', (d) => (stderr += d))
      p.on('error', reject)
      p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
    })
    let doc: { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] }
    try {
      doc = JSON.parse(out.stdout.slice(out.stdout.indexOf('{')))
    } catch {
      assert.fail(`ansible-playbook printed no JSON (exit ${out.code}): ${out.stderr.slice(-2000)}`)
    }
    const results = doc.plays[0]?.tasks.map((t) => t.hosts[host]!) ?? []
    assert.equal(results.length, steps.length, `ansible-playbook ran ${results.length} of ${steps.length} steps: ${out.stderr.slice(-2000)}`)
    return results.map((r) => ({ changed: !!r.changed, failed: !!r.failed, msg: r.msg as string | undefined, result: r }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface Differential {
  /** the module name Ansible knows it by (FQCN) */
  module: string
  /** acplay's steps on its host, and Ansible's on the sibling (they differ only in host-specific values) */
  mine: Record<string, unknown>[]
  theirs?: Record<string, unknown>[]
  /** runs one acplay step (e.g. predictThenRun(...).applied) */
  run: (args: Record<string, unknown>) => Promise<ModuleOutcome>
  /** also compare the module's msg return value on success (replace, blockinfile) */
  sameMsg?: boolean
}

/**
 * Runs the steps with acplay on `host` while ansible-playbook runs them on `sibling` (concurrently:
 * different hosts), then asserts per step the same outcome (ok / changed / failed) and the same
 * failure message. Returns both sides for further comparison of end states.
 */
export async function differential(bed: Testbed, sibling: string, d: Differential): Promise<{ mine: ModuleOutcome[]; theirs: AnsibleResult[] }> {
  const pending = ansibleRun(
    bed,
    sibling,
    (d.theirs ?? d.mine).map((args) => ({ module: d.module, args })),
  )
  pending.catch(() => {})
  const mine: ModuleOutcome[] = []
  for (const args of d.mine) mine.push(await d.run(args))
  const theirs = await pending
  mine.forEach((m, i) => {
    const t = theirs[i]!
    const want = t.failed ? 'failed' : t.changed ? 'changed' : 'ok'
    assert.equal(m.status, want, `step ${i} ${JSON.stringify(d.mine[i])}: acplay ${m.status} (${m.msg ?? m.reason ?? ''}), ansible ${want} (${t.msg ?? ''})`)
    if (t.failed) assert.equal(m.msg, t.msg, `step ${i}: the failure message`)
    else if (d.sameMsg) assert.equal(m.data.msg, t.msg, `step ${i}: msg`)
  })
  return { mine, theirs }
}
