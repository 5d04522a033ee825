/**
 * Issue 6 end to end: playbooks/site.yml deploys Astronomer Core (with the Airflow stand-in) onto
 * four real hosts as the `deploy` user with become, then: idempotent re-run, honest check mode,
 * a variable change shown by --check --diff and applied, and services back after a reboot.
 */
import assert from 'node:assert/strict'
import { appendFileSync } from 'node:fs'
import { describe, it, before, after } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { AIRFLOW_CHILDREN, changedPairs, CLUSTER, runSite, SITE, standinVars, TEST_DB_PASSWORD } from '../helpers/astronomer.js'
import { buildStandinIndex } from '../helpers/standin.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import type { JsonDocument } from '../../engine/report/json.js'

describe('Astronomer Core on a four-host cluster', { skip: testbedSkip() }, () => {
  const bed = useTestbed(CLUSTER.hosts)
  let inventory = ''
  let vars = ''
  let close = async () => {}
  const env = { AIRFLOW_DB_PASSWORD: TEST_DB_PASSWORD }
  const play = (...args: string[]) => runSite(inventory, vars, ...args)
  const unitState = async (host: string, unit: string) =>
    (await bed().exec(host, `systemctl is-active ${unit}; systemctl is-enabled ${unit}`)).stdout.trim().split('\n')

  before(async () => {
    const served = await bed().serve(buildStandinIndex())
    close = served.close
    inventory = bed().inventory({ user: 'deploy', groups: CLUSTER.groups })
    appendFileSync(inventory, AIRFLOW_CHILDREN)
    vars = standinVars(`${served.urlFor('db')}simple/`)
  })
  after(() => close())

  it('check mode on fresh hosts fails nothing', async () => {
    const r = await play('--check')
    assert.equal(r.failures, '')
    assert.equal(r.code, 0, r.stderr)
  })

  it('deploys a working cluster: services active and enabled, health page, migration once, heartbeats, DAGs', async () => {
    const r = await play('-b')
    assert.equal(r.failures, '', r.stderr)
    assert.equal(r.code, 0)
    for (const [host, unit] of [
      ['scheduler', 'scheduler'],
      ['webserver', 'webserver'],
      ['worker', 'worker'],
    ]) {
      assert.deepEqual(await unitState(host!, `astronomer-core@${unit}`), ['active', 'enabled'], `${unit} on ${host}`)
    }
    const web = bed().host('webserver').address
    let health: { metadatabase: { status: string } } | undefined
    for (let i = 0; i < 30 && !health; i++) {
      health = await fetch(`http://${web}:8080/health`)
        .then((x) => x.json() as never)
        .catch(() => undefined)
      if (!health) await new Promise((res) => setTimeout(res, 500))
    }
    assert.equal(health?.metadatabase.status, 'healthy')
    const sql = (q: string) => bed().exec('db', `runuser -u postgres -- psql -d airflow -Atc ${JSON.stringify(q)}`)
    assert.equal((await sql('select count(*) from standin_migrations')).stdout.trim(), '1', 'upgradedb ran exactly once')
    let beats = ''
    for (let i = 0; i < 20 && beats !== 'scheduler,worker'; i++) {
      beats = (await sql("select string_agg(distinct component, ',' order by component) from standin_heartbeats")).stdout.trim()
      if (beats !== 'scheduler,worker') await new Promise((res) => setTimeout(res, 500))
    }
    assert.equal(beats, 'scheduler,worker')
    const dags = await Promise.all(
      ['scheduler', 'webserver', 'worker'].map(async (h) => (await bed().exec(h, 'cd /usr/local/airflow/dags && sha256sum * | sort')).stdout),
    )
    assert.ok(dags[0]!.includes('example_dag.py'))
    assert.equal(new Set(dags).size, 1, 'every host has the same DAG files')
    const envFile = await bed().exec('scheduler', 'stat -c %U:%G:%a /etc/default/astronomer-core')
    assert.equal(envFile.stdout.trim(), 'root:root:600')
    assert.ok(!r.stdout.includes(TEST_DB_PASSWORD) && !r.stdout.includes(encodeURIComponent(TEST_DB_PASSWORD)), 'no password in the output')
  })

  it('a second run and a check run report changed=0 everywhere', async () => {
    const again = await play('-b')
    assert.equal(again.failures, '')
    assert.deepEqual(changedPairs(again.doc), [])
    const check = await play('-b', '--check')
    assert.deepEqual(changedPairs(check.doc), [])
    assert.equal(check.code, 0)
  })

  it('changing the executor: --check --diff shows the env file change and its restarts, the real run does the same', async () => {
    const changedVars = standinVars(JSON.parse(vars).airflow_index_url, { airflow_executor: 'LocalExecutor' })
    const check = await acplay(['run', SITE, '-i', inventory, '-e', changedVars, '-b', '--check', '--diff'], { env })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.match(check.stdout, /-AIRFLOW__CORE__EXECUTOR=CeleryExecutor\n\s*\+AIRFLOW__CORE__EXECUTOR=LocalExecutor/)
    assert.ok(!check.stdout.includes(TEST_DB_PASSWORD), 'the password is masked in the diff')
    const checkDoc = await acplay(['run', SITE, '-i', inventory, '-e', changedVars, '-b', '--check', '--json'], { env })
    const real = await acplay(['run', SITE, '-i', inventory, '-e', changedVars, '-b', '--json'], { env })
    const predicted = changedPairs(JSON.parse(checkDoc.stdout) as JsonDocument)
    const actual = changedPairs(JSON.parse(real.stdout) as JsonDocument)
    assert.ok(predicted.some((p) => p.includes('The environment file')))
    assert.ok(predicted.some((p) => p.includes('restart scheduler')))
    assert.ok(predicted.some((p) => p.includes('restart webserver')))
    assert.deepEqual(predicted, actual)
    // back to the cluster's executor for the reboot test
    const back = await play('-b')
    assert.equal(back.failures, '')
  })

  it('services are active again after the hosts reboot', async () => {
    for (const h of ['db', 'scheduler', 'webserver', 'worker']) await bed().reboot(h)
    for (const [host, unit] of [
      ['scheduler', 'scheduler'],
      ['webserver', 'webserver'],
      ['worker', 'worker'],
    ]) {
      let state: string[] = []
      for (let i = 0; i < 20 && state[0] !== 'active'; i++) {
        state = await unitState(host!, `astronomer-core@${unit}`)
        if (state[0] !== 'active') await new Promise((res) => setTimeout(res, 500))
      }
      assert.deepEqual(state, ['active', 'enabled'], `${unit} after reboot`)
    }
  })
})
