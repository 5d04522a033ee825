/**
 * Runs one tool once, under GNU time (controller peak RSS): ansible-playbook in one of its
 * configurations, or acplay (bin/acplay). Wall time is measured here around the process.
 */
import { capture } from '../test/helpers/cli.js'
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const PLAYBOOK = join(ROOT, 'bench/playbook.yml')
let ACPLAY = join(ROOT, 'bin/acplay')

/**
 * Runs acplay from a copy of the build taken now: dist/ is shared by everyone working in this tree,
 * and a rebuild during a long bench must not break (or change) the runs being measured.
 */
export function snapshotAcplay(workDir: string): string {
  const dir = join(workDir, 'acplay')
  for (const d of ['engine', 'modules']) cpSync(join(ROOT, 'dist', d), join(dir, 'dist', d), { recursive: true })
  cpSync(join(ROOT, 'bin/acplay'), join(dir, 'bin/acplay'))
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'))
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  ACPLAY = join(dir, 'bin/acplay')
  return ACPLAY
}
const MITOGEN_STRATEGY = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy'

export type Config = 'default' | 'pipelining' | 'mitogen'
export type Tool = { kind: 'ansible'; config: Config } | { kind: 'acplay' }
/** the playbook's cases, and bench/large.ts's copies (`copy 300 MB`, `copy 300 MB noop`) */
export type Case = 'first' | 'noop' | 'check' | `copy ${number} MB` | `copy ${number} MB noop`

export const toolLabel = (t: Tool) => (t.kind === 'acplay' ? 'acplay' : `ansible ${t.config}`)

export interface RunSpec {
  tool: Tool
  case: Case
  /** default bench/playbook.yml */
  playbook?: string
  inventory: string
  extraVars: Record<string, string>
  forks: number
  limit?: string
  /** where logs and ssh control sockets go */
  workDir: string
  /** node --cpu-prof directory for acplay */
  cpuProfDir?: string
}

export interface Measured {
  wallS: number
  maxRssMb: number
  /** user + system CPU of the tool's process tree on the controller (GNU time) */
  controllerCpuS: number
  exitCode: number
  /** per host recap counts (Ansible's PLAY RECAP / acplay's JSON) */
  changed: number
  failed: number
  /** acplay only: commands executed per host */
  execs?: { host: string; connects: number; execs: number }[]
  /** acplay only: task results per host (no handlers), averaged over hosts */
  tasksPerHost?: number
  log: string
}

/** Ansible's environment for a configuration. Control sockets live in workDir (closed by closeControlMasters). */
export function ansibleEnv(config: Config, workDir: string): Record<string, string> {
  const env: Record<string, string> = {
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(workDir, `cp-${config}`),
    ANSIBLE_LOCAL_TEMP: join(workDir, 'ansible-local'),
  }
  if (config === 'pipelining' || config === 'mitogen') {
    env.ANSIBLE_PIPELINING = '1'
    env.ANSIBLE_SSH_ARGS = '-o ControlMaster=auto -o ControlPersist=60s'
  }
  if (config === 'mitogen') {
    env.ANSIBLE_STRATEGY_PLUGINS = MITOGEN_STRATEGY
    env.ANSIBLE_STRATEGY = 'mitogen_linear'
  }
  return env
}

function argv(s: RunSpec): { cmd: string[]; env: Record<string, string> } {
  const common = ['-i', s.inventory, '-f', String(s.forks), '-e', JSON.stringify(s.extraVars)]
  if (s.case === 'check') common.push('--check')
  if (s.limit) common.push('-l', s.limit)
  const playbook = s.playbook ?? PLAYBOOK
  if (s.tool.kind === 'ansible') return { cmd: ['ansible-playbook', playbook, ...common], env: ansibleEnv(s.tool.config, s.workDir) }
  const node = s.cpuProfDir ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${s.cpuProfDir}`] : [process.execPath]
  return { cmd: [...node, ACPLAY, 'run', playbook, ...common, '--json'], env: {} }
}

let seq = 0

export async function runTool(s: RunSpec): Promise<Measured> {
  const { cmd, env } = argv(s)
  const n = ++seq
  const timeFile = join(s.workDir, `time-${n}.txt`)
  const log = join(s.workDir, `run-${n}-${toolLabel(s.tool).replace(' ', '-')}-${s.case.replace(/ /g, '-')}.log`)
  mkdirSync(s.workDir, { recursive: true })
  const t0 = process.hrtime.bigint()
  const { code, stdout, stderr } = await capture(['/usr/bin/time', '-v', '-o', timeFile, ...cmd], { env })
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  writeFileSync(log, `$ ${cmd.join(' ')}\n${stdout}\n--- stderr\n${stderr}`)
  const times = readFileSync(timeFile, 'utf8')
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(times)
  const cpu = ['User', 'System'].reduce((a, k) => a + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(times)?.[1] ?? NaN), 0)
  const m: Measured = { wallS, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, controllerCpuS: cpu, exitCode: code, changed: 0, failed: 0, log }
  if (s.tool.kind === 'acplay') {
    try {
      const doc = JSON.parse(stdout) as {
        recap: { changed: number; failed: number; unreachable: number }[]
        connections?: Measured['execs']
        results: { task: { handler?: boolean } }[]
      }
      for (const r of doc.recap) {
        m.changed += r.changed
        m.failed += r.failed + r.unreachable
      }
      m.execs = doc.connections
      m.tasksPerHost = doc.results.filter((r) => !r.task.handler).length / Math.max(1, doc.recap.length)
    } catch {
      m.failed = -1 // no JSON: the run itself broke; the log says why
    }
  } else {
    const recap = stdout.slice(stdout.lastIndexOf('PLAY RECAP'))
    for (const l of recap.split('\n')) {
      const c = /changed=(\d+).*unreachable=(\d+)\s+failed=(\d+)/.exec(l)
      if (c) {
        m.changed += Number(c[1])
        m.failed += Number(c[2]) + Number(c[3])
      }
    }
    if (!recap.startsWith('PLAY RECAP')) m.failed = -1
  }
  return m
}

/** Ends Ansible's ControlPersist masters for this work dir (their hosts are about to go away). */
export async function closeControlMasters(workDir: string): Promise<void> {
  const waits: Promise<unknown>[] = []
  for (const config of ['default', 'pipelining', 'mitogen'] as const) {
    const dir = join(workDir, `cp-${config}`)
    let socks: string[] = []
    try {
      socks = readdirSync(dir)
    } catch {
      continue
    }
    for (const s of socks) waits.push(capture(['ssh', '-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'bench-control-master']))
  }
  await Promise.all(waits)
}
