/**
 * Differential runs: the same playbook with Debian's ansible-playbook on one testbed host and with
 * acplay on a sibling, so a test can compare what each left behind (files, rules) and how many
 * tasks each reported changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/** Writes `yaml` as a playbook in a temp dir, runs it against `host` with the tool, returns output and recap. */
export async function runPlaybook(
  tool: 'ansible' | 'acplay',
  bed: Testbed,
  host: string,
  yaml: string,
  opts: { check?: boolean; diff?: boolean; extra?: string[] } = {},
): Promise<PlaybookRun> {
  const dir = mkdtempSync(join(tmpdir(), `acplay-diff-${tool}-`))
  try {
    const playbook = join(dir, 'site.yml')
    writeFileSync(playbook, yaml)
    const inventory = bed.inventory({ hosts: [host] })
    const args = [playbook, '-i', inventory, ...(opts.check ? ['--check'] : []), ...(opts.diff ? ['--diff'] : []), ...(opts.extra ?? [])]
    const r =
      tool === 'ansible'
        ? await capture(['ansible-playbook', ...args], {
            env: {
              ANSIBLE_NOCOLOR: '1',
              ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
              ANSIBLE_RETRY_FILES_ENABLED: '0',
              ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-local'),
              ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp'),
              ANSIBLE_CONFIG: join(dir, 'none.cfg'),
            },
          })
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
