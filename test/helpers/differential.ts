/**
 * Differential runs: the same playbook with Debian's ansible-playbook on one testbed host and with
 * acplay on a sibling, so a test can compare what each left behind (files, rules) and how many
 * tasks each reported changed.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Testbed } from '../testbed/testbed.js'
import { acplay, capture, type CliResult } from './cli.js'

export interface Recap {
  ok: number
  changed: number
  unreachable: number
  failed: number
  skipped: number
}

export interface PlaybookRun extends CliResult {
  recap: Recap
}

/** The PLAY RECAP counts of `host` (ansible-playbook and acplay print the same line). */
export function parseRecap(out: string, host: string): Recap {
  const recap = out.slice(out.lastIndexOf('PLAY RECAP'))
  const line = recap.split('\n').find((l) => l.startsWith(`${host} `))
  if (!line) throw new Error(`no recap line for ${host} in:\n${out.slice(-3000)}`)
  const n = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(line)?.[1] ?? Number.NaN)
  return { ok: n('ok'), changed: n('changed'), unreachable: n('unreachable'), failed: n('failed'), skipped: n('skipped') }
}

/** ansible-playbook's environment in a test's scratch `dir`: no colour, no retry files, its temp files and an empty config there. */
export function ansiblePlaybookEnv(dir: string): Record<string, string> {
  return {
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-local'),
    ANSIBLE_CONFIG: join(dir, 'none.cfg'),
  }
}

/** Writes `yaml` as a playbook in a temp dir, runs it against `host` with the tool, returns output and recap. */
export async function runPlaybook(
  tool: 'ansible' | 'acplay',
  bed: Testbed,
  host: string,
  yaml: string,
  opts: { check?: boolean; diff?: boolean; extra?: string[]; files?: Record<string, string> } = {},
): Promise<PlaybookRun> {
  const dir = mkdtempSync(join(tmpdir(), `acplay-diff-${tool}-`))
  try {
    const playbook = join(dir, 'site.yml')
    writeFileSync(playbook, yaml)
    // files beside the playbook (files/, vars/, templates/...), by path relative to it
    for (const [rel, text] of Object.entries(opts.files ?? {})) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true })
      writeFileSync(join(dir, rel), text)
    }
    const inventory = bed.inventory({ hosts: [host] })
    const args = [playbook, '-i', inventory, ...(opts.check ? ['--check'] : []), ...(opts.diff ? ['--diff'] : []), ...(opts.extra ?? [])]
    const r =
      tool === 'ansible'
        ? await capture(['ansible-playbook', ...args], { env: { ...ansiblePlaybookEnv(dir), ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp') } })
        : await acplay(['run', ...args])
    return { ...r, recap: parseRecap(r.stdout, host) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One module run by Debian's `ansible` against `host` (ad hoc): the JSON result it prints. */
export async function ansibleModule(bed: Testbed, host: string, module: string, args: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-adhoc-'))
  try {
    const r = await capture(['ansible', host, '-i', bed.inventory({ hosts: [host] }), '-m', module, '-a', args], {
      env: {
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
        ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
        ANSIBLE_CONFIG: join(dir, 'none.cfg'),
        ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
        ANSIBLE_STDOUT_CALLBACK: 'minimal',
      },
    })
    const at = r.stdout.indexOf('{')
    if (at < 0) throw new Error(`ansible -m ${module} printed no result:\n${r.stdout}\n${r.stderr}`)
    return JSON.parse(r.stdout.slice(at)) as Record<string, unknown>
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * One playbook, acplay on `mine` and ansible-playbook on `theirs` (two fresh testbed hosts), compared
 * by a shell script that prints the state the playbook manages.
 */
export class SideBySide {
  constructor(
    private readonly bed: () => Testbed,
    readonly mine: string,
    readonly theirs: string,
    readonly playbook: string,
    readonly stateScript: string,
    /** files beside the playbook (files/, templates/...), by path relative to it */
    readonly files: Record<string, string> = {},
  ) {}

  async state(host: string): Promise<string> {
    return (await this.bed().exec(host, this.stateScript)).stdout
  }

  run(tool: 'ansible' | 'acplay', opts: { check?: boolean; diff?: boolean } = {}): Promise<PlaybookRun> {
    return runPlaybook(tool, this.bed(), tool === 'acplay' ? this.mine : this.theirs, this.playbook, { ...opts, files: this.files })
  }

  /** Both tools at once; each must succeed and report the same counts, `changed` of them changed. */
  async both(changed: number): Promise<[PlaybookRun, PlaybookRun]> {
    const [mine, theirs] = await Promise.all([this.run('acplay'), this.run('ansible')])
    assert.equal(mine.code, 0, mine.stdout + mine.stderr)
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.deepEqual(mine.recap, theirs.recap, `acplay and ansible-playbook disagree:\n${mine.stdout}\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, changed, mine.stdout)
    return [mine, theirs]
  }

  /**
   * The first run: check mode on the fresh host changes nothing and predicts exactly what the run
   * then does; both tools change `changed` tasks and leave the same state, which is returned.
   */
  async firstRun(changed: number): Promise<string> {
    const fresh = await this.state(this.mine)
    const check = await this.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.equal(await this.state(this.mine), fresh, 'check mode changed nothing')
    const [mine] = await this.both(changed)
    assert.deepEqual(check.recap, mine.recap, 'check mode predicted exactly what the run did')
    return this.sameState()
  }

  /** Both tools again (`changed`: tasks that act on every run by design), then check mode agrees. */
  async rerun(changed = 0): Promise<void> {
    await this.both(changed)
    const check = await this.run('acplay', { check: true })
    assert.equal(check.recap.changed, changed, check.stdout)
  }

  /**
   * The same hand changes on both hosts: check mode finds `changed` tasks to run (and changes
   * nothing), then both tools repair them alike. Returns the check run (with its diff).
   */
  async drift(script: string, changed: number): Promise<PlaybookRun> {
    for (const h of [this.mine, this.theirs]) {
      const r = await this.bed().exec(h, script)
      assert.equal(r.rc, 0, r.stderr)
    }
    const before = await this.state(this.mine)
    const check = await this.run('acplay', { check: true, diff: true })
    assert.equal(check.recap.changed, changed, check.stdout)
    assert.equal(await this.state(this.mine), before, 'check mode changed nothing')
    await this.both(changed)
    await this.sameState()
    return check
  }

  async sameState(): Promise<string> {
    const [a, b] = await Promise.all([this.state(this.mine), this.state(this.theirs)])
    assert.equal(a, b, 'acplay and ansible-playbook left different states')
    return a
  }
}
