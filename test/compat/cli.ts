/**
 * Runs corpus cases by hand, each on its own fresh pair of testbed hosts, and prints every
 * disagreement between acplay and ansible-playbook: `node dist/test/compat/cli.js [CASE...]`
 * (default: all; exit 1 when any differs).
 */
import { CASES } from './cases.js'
import { Repos, runCompatCase } from './run-case.js'

const wanted = process.argv.slice(2)
const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w))
if (unknown.length) {
  console.error(`unknown case(s): ${unknown.join(', ')} (have: ${CASES.map((c) => c.name).join(', ')})`)
  process.exit(5)
}
const repos = new Repos()
let differs = 0
try {
  for (const c of CASES.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
    try {
      const { problems, seconds } = await runCompatCase(c, repos)
      if (problems.length) differs++
      console.log(`== ${c.name}: ${problems.length ? 'DIFFERS' : 'same'} (${seconds.total.toFixed(1)} s)\n${problems.join('\n')}`)
    } catch (e) {
      differs++
      console.log(`== ${c.name}: ERROR ${(e as Error).message}`)
    }
  }
} finally {
  repos.remove()
}
process.exit(differs ? 1 : 0)
