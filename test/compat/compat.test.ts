/**
 * The compatibility corpus (test/compat/corpus, cases.ts): each case on two fresh testbed hosts,
 * Debian's ansible-playbook on b-CASE and acplay on a-CASE, twice (converge, then a re-run that must
 * change nothing). Both must agree on the exit code, the recap, every task's statuses and the state
 * left on the host (harness.ts says what is compared and the one deliberate difference), and
 * `acplay run --syntax-check` must accept the playbook. A case acplay cannot run yet FAILS with
 * the list of disagreements.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { buildAptRepo } from '../helpers/apt-repo.js'
import { acplay } from '../helpers/cli.js'
import { Testbed, testbedSkip } from '../helpers/testbed-fixture.js'
import { buildDemoIndex } from '../helpers/wheels.js'
import type { ServeHandle } from '../testbed/testbed.js'
import { CASES, type CompatCase } from './cases.js'
import { CORPUS, type CaseRun, disagreements, lineDiff, prepareHost, runCase, snapshot, type Tool, tail } from './harness.js'

const mine = (c: CompatCase) => `a-${c.name}`
const theirs = (c: CompatCase) => `b-${c.name}`

describe('compatibility corpus: acplay and ansible-playbook side by side', { skip: testbedSkip(), concurrency: 3 }, () => {
  // each case boots its own pair (a few seconds); three cases at a time
  let repoDir = ''
  let wheelsDir = ''

  before(() => {
    repoDir = buildAptRepo([{ name: 'compat-hello', version: '1.0', files: { '/usr/share/compat-hello/README': 'hello from the compat corpus\n' } }])
    wheelsDir = buildDemoIndex()
  })
  after(() => {
    for (const d of [repoDir, wheelsDir]) if (d) rmSync(d, { recursive: true, force: true })
  })

  /** The per-host -e values a case needs (each host reaches the outer machine at its own gateway). */
  const extraVars = async (bed: Testbed, c: CompatCase, host: string): Promise<string[]> => {
    const vars: Record<string, string> = {}
    if (c.needs?.includes('apt-repo')) vars.compat_repo_url = (await serveOnce(bed, repoDir)).urlFor(host)
    if (c.needs?.includes('pip-index')) vars.compat_pip_index = `${(await serveOnce(bed, wheelsDir)).urlFor(host)}simple/`
    return Object.keys(vars).length ? ['-e', JSON.stringify(vars)] : []
  }

  const runOf = async (bed: Testbed, c: CompatCase, tool: Tool): Promise<CaseRun> => {
    const host = tool === 'acplay' ? mine(c) : theirs(c)
    const args = [...(c.args ?? []), ...(await extraVars(bed, c, host))]
    return { tool, bed, host, dir: c.name, playbook: c.playbook ?? 'site.yml', args, user: c.user ?? 'root' }
  }

  for (const c of CASES) {
    it(`${c.name}: converges like ansible-playbook, then changes nothing`, async () => {
      const t0 = Date.now()
      const bed = await Testbed.up({ hosts: [mine(c), theirs(c)] })
      try {
        await Promise.all(bed.hosts.map((h) => prepareHost(bed, h.name)))
        const problems = await compare(bed, c, await runOf(bed, c, 'ansible'), await runOf(bed, c, 'acplay'))
        console.log(`compat ${c.name}: ${problems.length ? 'DIFFERS' : 'same'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
        assert.deepEqual(problems, [], `${c.name}: acplay differs from ansible-playbook:\n${problems.join('\n')}`)
      } finally {
        await bed.down()
      }
    })
  }
})

const served = new WeakMap<Testbed, Map<string, Promise<ServeHandle>>>()

/** One static server per testbed and directory (closed by bed.down()). */
function serveOnce(bed: Testbed, dir: string): Promise<ServeHandle> {
  const mine = served.get(bed) ?? new Map<string, Promise<ServeHandle>>()
  served.set(bed, mine)
  if (!mine.has(dir)) mine.set(dir, bed.serve(dir))
  return mine.get(dir)!
}

/** Syntax check, then converge and re-run with both tools: every disagreement (empty: none). */
async function compare(bed: Testbed, c: CompatCase, ansibleRun: CaseRun, acplayRun: CaseRun): Promise<string[]> {
  const problems: string[] = []
  const cwd = join(CORPUS, c.name)
  const syntax = await acplay(['run', '--syntax-check', join(cwd, acplayRun.playbook), '-i', bed.inventory({ hosts: [mine(c)] })], {
    cwd,
    env: { ANSIBLE_CONFIG: join(cwd, 'ansible.cfg') },
  })
  if (syntax.code !== 0) problems.push(`--syntax-check refused it (exit ${syntax.code}):\n${tail(syntax, 5)}`)

  for (const round of ['converge', 're-run'] as const) {
    const [ansible, ours] = await Promise.all([runCase(ansibleRun), runCase(acplayRun)])
    // the corpus is Ansible content: ansible-playbook itself must succeed on it
    assert.equal(ansible.code, 0, `ansible-playbook failed on the corpus (${c.name}, ${round}):\n${ansible.stdout.slice(-4000)}${ansible.stderr}`)
    if (round === 'converge') assert.ok(ansible.recap.changed > 0, `${c.name}: the first run changes something`)
    else assert.equal(ansible.recap.changed, c.rerunChanged ?? 0, `${c.name}: ansible-playbook's re-run changes ${c.rerunChanged ?? 0}`)
    problems.push(...disagreements(ansible, ours).map((p) => `${round}: ${p}`))
    if (ours.code !== 0) {
      problems.push(`${round}: acplay failed:\n${tail(ours)}`)
      break
    }
    const [a, b] = await Promise.all([snapshot(bed, theirs(c), c.state), snapshot(bed, mine(c), c.state)])
    const diff = lineDiff(a.split('\n'), b.split('\n'))
    if (diff.length) problems.push(`${round}: the hosts differ:\n${diff.slice(0, 30).join('\n')}`)
  }
  return problems
}
