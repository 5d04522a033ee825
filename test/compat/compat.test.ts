/**
 * The compatibility corpus (test/compat/corpus, cases.ts): each case on two fresh testbed hosts,
 * Debian's ansible-playbook on b-CASE and acplay on a-CASE, twice (converge, then a re-run that must
 * change nothing). Both must agree on the exit code, the recap, every task's statuses and the state
 * left on the host (harness.ts says what is compared and the one deliberate difference), and
 * `acplay run --syntax-check` must accept the playbook. A case acplay cannot run yet FAILS with
 * the list of disagreements.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testbedSkip } from '../helpers/testbed-fixture.js'
import { CASES } from './cases.js'
import { Repos, runCompatCase } from './run-case.js'

// each case boots its own pair (a few seconds), three cases at a time
describe('compatibility corpus: acplay and ansible-playbook side by side', { skip: testbedSkip(), concurrency: 3 }, () => {
  let repos: Repos | undefined
  before(() => {
    repos = new Repos()
  })
  after(() => repos?.remove())

  for (const c of CASES) {
    it(`${c.name}: converges like ansible-playbook, then changes nothing`, async () => {
      const { problems, seconds } = await runCompatCase(c, repos!)
      const s = seconds
      console.log(
        `compat ${c.name}: ${problems.length ? 'DIFFERS' : 'same'} (boot ${s.boot.toFixed(1)} s, ansible ${s.ansible.toFixed(1)} s, acplay ${s.acplay.toFixed(1)} s, total ${s.total.toFixed(1)} s)`,
      )
      assert.deepEqual(problems, [], `${c.name}: acplay differs from ansible-playbook:\n${problems.join('\n')}`)
    })
  }
})
