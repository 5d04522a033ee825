/**
 * One corpus case end to end on its own pair of fresh testbed hosts (a-CASE for acplay, b-CASE for
 * ansible-playbook): syntax check, converge, re-run; every disagreement as a line (none: they agree).
 * Used by compat.test.ts and by cli.ts (`node dist/test/compat/cli.js [CASE...]`).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildAptRepo } from '../helpers/apt-repo.js'
import { acplay } from '../helpers/cli.js'
import { buildDemoIndex } from '../helpers/wheels.js'
import { Testbed } from '../testbed/testbed.js'
import type { CompatCase } from './cases.js'
import { CORPUS, type CaseRun, disagreements, lineDiff, prepareHost, runCase, snapshot, type Tool, tail } from './harness.js'

export const mine = (c: CompatCase) => `a-${c.name}`
export const theirs = (c: CompatCase) => `b-${c.name}`

/** The local repositories cases install from (an apt repository, a PEP 503 index), built once. */
export class Repos {
  readonly apt = buildAptRepo([{ name: 'compat-hello', version: '1.0', files: { '/usr/share/compat-hello/README': 'hello from the compat corpus\n' } }])
  readonly pip = buildDemoIndex(mkdtempSync(join(tmpdir(), 'acplay-compat-wheels-')))
  remove(): void {
    for (const d of [this.apt, this.pip]) rmSync(d, { recursive: true, force: true })
  }
}

export interface CaseResult {
  problems: string[]
  seconds: { boot: number; total: number; ansible: number; acplay: number }
}

/** Boots the pair, runs the case, downs the pair. Throws when ansible-playbook itself fails (the corpus is wrong). */
export async function runCompatCase(c: CompatCase, repos: Repos): Promise<CaseResult> {
  const t0 = Date.now()
  const bed = await Testbed.up({ hosts: [mine(c), theirs(c)], log: () => {} })
  const seconds = { boot: (Date.now() - t0) / 1000, total: 0, ansible: 0, acplay: 0 }
  try {
    await Promise.all(bed.hosts.map((h) => prepareHost(bed, h.name)))
    const runs = {} as Record<Tool, CaseRun>
    // one server per repository (the same port for both hosts; each host reaches it at its gateway)
    const apt = c.needs?.includes('apt-repo') ? await bed.serve(repos.apt) : undefined
    const pip = c.needs?.includes('pip-index') ? await bed.serve(repos.pip) : undefined
    for (const tool of ['ansible', 'acplay'] as const) {
      const host = tool === 'acplay' ? mine(c) : theirs(c)
      const vars: Record<string, string> = {}
      if (apt) vars.compat_repo_url = apt.urlFor(host)
      if (pip) vars.compat_pip_index = `${pip.urlFor(host)}simple/`
      const args = [...(c.args ?? []), ...(Object.keys(vars).length ? ['-e', JSON.stringify(vars)] : [])]
      runs[tool] = { tool, bed, host, dir: c.name, playbook: c.playbook ?? 'site.yml', args, user: c.user ?? 'root' }
    }
    const problems = await compare(bed, c, runs, seconds)
    seconds.total = (Date.now() - t0) / 1000
    return { problems, seconds }
  } finally {
    await bed.down()
  }
}

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = Date.now()
  return [await f(), (Date.now() - t0) / 1000]
}

async function compare(bed: Testbed, c: CompatCase, runs: Record<Tool, CaseRun>, seconds: CaseResult['seconds']): Promise<string[]> {
  const problems: string[] = []
  const cwd = join(CORPUS, c.name)
  const syntax = await acplay(['run', '--syntax-check', join(cwd, runs.acplay.playbook), '-i', bed.inventory({ hosts: [mine(c)] })], {
    cwd,
    env: { ANSIBLE_CONFIG: join(cwd, 'ansible.cfg') },
  })
  if (syntax.code !== 0) problems.push(`--syntax-check refused it (exit ${syntax.code}):\n${tail(syntax, 3)}`)

  for (const round of ['converge', 're-run'] as const) {
    const [[ansible, ta], [ours, tm]] = await Promise.all([timed(() => runCase(runs.ansible)), timed(() => runCase(runs.acplay))])
    seconds.ansible += ta
    seconds.acplay += tm
    // the corpus is Ansible content: ansible-playbook itself must succeed on it
    assert.equal(ansible.code, 0, `ansible-playbook failed on the corpus (${c.name}, ${round}):\n${ansible.stdout.slice(-4000)}${ansible.stderr}`)
    if (round === 'converge') assert.ok(ansible.recap.changed > 0, `${c.name}: the first run changes something`)
    else assert.equal(ansible.recap.changed, c.rerunChanged ?? 0, `${c.name}: ansible-playbook's re-run changes ${c.rerunChanged ?? 0}`)
    problems.push(...disagreements(ansible, ours).map((p) => `${round}: ${p}`))
    if (ours.code !== 0) {
      problems.push(`${round}: acplay failed:\n${tail(ours, 12)}`)
      break
    }
    const [a, b] = await Promise.all([snapshot(bed, theirs(c), c.state), snapshot(bed, mine(c), c.state)])
    const diff = lineDiff(a.split('\n'), b.split('\n'))
    if (diff.length) problems.push(`${round}: the hosts differ:\n${diff.slice(0, 40).join('\n')}`)
  }
  return problems
}
