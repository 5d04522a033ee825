/** Issue 6 on one host: PostgreSQL, scheduler and webserver together with the LocalExecutor, no worker. */
import assert from 'node:assert/strict'
import { appendFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { AIRFLOW_CHILDREN, changedPairs, runSite, SINGLE_NODE, standinVars } from '../helpers/astronomer.js'
import { buildStandinIndex } from '../helpers/standin.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { testDir } from '../helpers/temp-dir.js'

describe('Astronomer Core on a single node (LocalExecutor)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(SINGLE_NODE.hosts)
  const standin = testDir('standin')
  let inventory = ''
  let vars = ''
  let close = async () => {}

  before(async () => {
    const served = await bed().serve(buildStandinIndex(standin))
    close = served.close
    inventory = bed().inventory({ user: 'deploy', groups: SINGLE_NODE.groups, vars: { airflow_executor: 'LocalExecutor' } })
    appendFileSync(inventory, AIRFLOW_CHILDREN)
    vars = standinVars(`${served.urlFor('airflow1')}simple/`, { airflow_executor: 'LocalExecutor' })
  })
  after(() => close())

  it('check mode on the fresh host predicts exactly what the first run changes', async () => {
    const check = await runSite(inventory, vars, '-b', '--check')
    assert.equal(check.failures, '')
    const real = await runSite(inventory, vars, '-b')
    assert.equal(real.failures, '')
    assert.equal(real.code, 0)
    assert.deepEqual(changedPairs(check.doc), changedPairs(real.doc))
    console.log(`single node: ${changedPairs(real.doc).length} changed tasks predicted by --check and done by the run`)
  })

  it('runs the scheduler and webserver with the LocalExecutor, and no worker', async () => {
    const r = await bed().exec(
      'airflow1',
      'for u in scheduler webserver worker; do systemctl is-active astronomer-core@$u; done; grep EXECUTOR /etc/default/astronomer-core',
    )
    assert.equal(r.stdout, 'active\nactive\ninactive\nAIRFLOW__CORE__EXECUTOR=LocalExecutor\n')
    const health = await bed().exec('airflow1', `python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:8080/health').read().decode())"`)
    assert.match(health.stdout, /"healthy"/)
  })

  it('a second run and a check run are changed=0', async () => {
    assert.deepEqual(changedPairs((await runSite(inventory, vars, '-b')).doc), [])
    assert.deepEqual(changedPairs((await runSite(inventory, vars, '-b', '--check')).doc), [])
  })
})
