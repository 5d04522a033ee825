/**
 * Issues 6 and 18 end to end: playbooks/site.yml deploys Astronomer Core (with the Airflow stand-in)
 * onto four real hosts as the `deploy` user with become: nginx with TLS in front of the webserver
 * (on db, a host outside the `airflow` group, which pg_hba therefore refuses), workers on two hosts
 * (webserver and worker) so the rolling restart has two worker batches. Then: idempotent re-run,
 * honest check mode, a settings change rolled through one batch at a time (check --diff shows and
 * predicts it), a
 * batch that does not come back stops the rollout (exit 2), a certificate given with a
 * vault-encrypted key, a variable change shown by --check --diff and applied, and services back
 * after a reboot.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, before, after } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { AIRFLOW_CHILDREN, changedPairs, CLUSTER, runSite, standinVars, TEST_DB_PASSWORD } from '../helpers/astronomer.js'
import { buildStandinIndex } from '../helpers/standin.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import type { JsonDocument } from '../../engine/report/json.js'
import { quote } from '../../engine/connection/quote.js'
import { testDir } from '../helpers/temp-dir.js'

/** GET https://address/health through nginx: with `ca`, the certificate must verify against it. */
function viaProxy(address: string, ca?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: address, port: 443, path: '/health', ...(ca ? { ca } : { rejectUnauthorized: false }), timeout: 10_000 }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => {
        text += c.toString()
      })
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }))
    })
    req.on('error', fail)
    req.end()
  })
}

const RESTART = 'The service restarts for its changed package, unit or settings'
const WEB_HEALTH = 'The webserver answers healthy on /health'
const HEARTBEAT = 'The worker is active with a heartbeat since its start'
/** The rolling restart's steps in the order they ran: "host: task". */
const rollout = (doc: JsonDocument) =>
  doc.results.filter((r) => [RESTART, WEB_HEALTH, HEARTBEAT].includes(r.task.name) && r.status !== 'skipped').map((r) => `${r.host}: ${r.task.name}`)

describe('Astronomer Core on a four-host cluster', { skip: testbedSkip() }, () => {
  const bed = useTestbed(CLUSTER.hosts)
  // workers on two hosts: two batches of airflow_restart_batch=1
  const groups = { ...CLUSTER.groups, workers: ['webserver', 'worker'] }
  const tmp = mkdtempSync(join(tmpdir(), 'acplay-cluster-'))
  const standin = testDir('standin')
  let inventory = ''
  let vars = ''
  let close = async () => {}
  const play = (...args: string[]) => runSite(inventory, vars, ...args)
  const unitState = async (host: string, unit: string) =>
    (await bed().exec(host, `systemctl is-active ${unit}; systemctl is-enabled ${unit}`)).stdout.trim().split('\n')

  before(async () => {
    const served = await bed().serve(buildStandinIndex(standin))
    close = served.close
    inventory = bed().inventory({ user: 'deploy', groups })
    appendFileSync(inventory, AIRFLOW_CHILDREN)
    vars = standinVars(`${served.urlFor('db')}simple/`)
  })
  after(async () => {
    await close()
    rmSync(tmp, { recursive: true, force: true })
  })

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
      ['webserver', 'worker'],
      ['worker', 'worker'],
    ]) {
      assert.deepEqual(await unitState(host!, `astronomer-core@${unit}`), ['active', 'enabled'], `${unit} on ${host}`)
    }
    assert.deepEqual(await unitState('db', 'nginx'), ['active', 'enabled'], 'nginx on the proxy')
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
    assert.match((await bed().exec('scheduler', 'cat /etc/default/astronomer-core')).stdout, /^AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX=True$/m)
    assert.ok(!r.stdout.includes(TEST_DB_PASSWORD) && !r.stdout.includes(encodeURIComponent(TEST_DB_PASSWORD)), 'no password in the output')
  })

  it('nginx proxies to the webserver over TLS with the headers Airflow needs; port 80 redirects to https', async () => {
    const db = bed().host('db').address
    const r = await viaProxy(db)
    assert.equal(r.status, 200)
    assert.equal((r.body.metadatabase as { status: string }).status, 'healthy')
    assert.equal(r.body.host, 'webserver', 'answered by the webserver behind nginx')
    assert.equal(r.body.proxy_fix, 'True', 'the webserver runs with ENABLE_PROXY_FIX')
    const fwd = Object.fromEntries(Object.entries(r.body.forwarded as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]))
    assert.equal(fwd['x-forwarded-proto'], 'https')
    assert.equal(fwd['x-forwarded-host'], db)
    assert.match(fwd['x-forwarded-for'] ?? '', /^10\.231\.\d+\.1$/, 'the client, as nginx saw it')
    const http = await bed().exec('db', `curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://${db}/health`)
    assert.equal(http.stdout.trim(), `301 https://${db}/health`)
    const key = await bed().exec('db', 'stat -c %U:%a /etc/ssl/airflow-proxy /etc/ssl/airflow-proxy/airflow.key')
    assert.deepEqual(key.stdout.trim().split('\n'), ['root:700', 'root:600'])
  })

  it('pg_hba lets each Airflow host in by its own address, and refuses a host outside the inventory group', async () => {
    const hba = await bed().exec('db', "grep -E '^host +airflow' /etc/postgresql/*/main/pg_hba.conf | awk '{print $4}' | sort")
    const expected = ['scheduler', 'webserver', 'worker'].map((h) => `${bed().host(h).address}/32`).sort()
    assert.deepEqual(hba.stdout.trim().split('\n'), expected)
    const login = (host: string) =>
      bed().exec(
        host,
        `PGPASSWORD=${quote(TEST_DB_PASSWORD)} psql -X -w -Atc 'select 1' ${quote(`host=${bed().host('db').address} user=airflow dbname=airflow`)}`,
      )
    const inside = await login('scheduler')
    assert.equal(inside.stdout.trim(), '1', 'an Airflow host logs in with the password')
    const outside = await login('db')
    assert.notEqual(outside.rc, 0)
    assert.match(outside.stderr, /no pg_hba\.conf entry for host "10\.231\.\d+\.11", user "airflow", database "airflow"/)
  })

  it('a second run and a check run report changed=0 everywhere', async () => {
    const again = await play('-b')
    assert.equal(again.failures, '')
    assert.deepEqual(changedPairs(again.doc), [])
    const check = await play('-b', '--check')
    assert.deepEqual(changedPairs(check.doc), [])
    assert.equal(check.code, 0)
  })

  it('a settings change rolls through the webserver, then the workers one host at a time, each healthy first; check predicts it', async () => {
    const changed = standinVars(JSON.parse(vars).airflow_index_url, { airflow_env: { AIRFLOW__CORE__PARALLELISM: '8' } })
    const pids = async () => (await bed().exec('worker', 'systemctl show -p MainPID --value astronomer-core@worker')).stdout.trim()
    const before = await pids()
    const check = await runSite(inventory, changed, '-b', '--check', '--diff')
    const envDiff = check.doc.results.find((r) => r.host === 'scheduler' && r.task.name === 'The environment file for the services')?.changes[0]?.diff
    assert.ok(envDiff && !envDiff.before.includes('PARALLELISM'), 'check --diff shows the env file before')
    assert.match(envDiff.after, /^AIRFLOW__CORE__PARALLELISM=8$/m, 'and after')
    assert.match(envDiff.after, /^AIRFLOW__CORE__SQL_ALCHEMY_CONN=postgresql:\/\/airflow:\*{8}@/m, 'the password masked in the diff')
    assert.ok(!check.stdout.includes(encodeURIComponent(TEST_DB_PASSWORD)) && !check.stdout.includes(TEST_DB_PASSWORD), 'no password in the output')
    assert.ok(changedPairs(check.doc).includes('scheduler | airflow_common : restart scheduler'), 'the scheduler restarts as a handler')
    const real = await runSite(inventory, changed, '-b')
    assert.equal(real.failures, '', real.stderr)
    assert.deepEqual(changedPairs(check.doc), changedPairs(real.doc), 'check predicts the restarts')
    assert.deepEqual(rollout(real.doc), [
      `webserver: ${RESTART}`,
      `webserver: ${WEB_HEALTH}`,
      `webserver: ${RESTART}`,
      `webserver: ${HEARTBEAT}`,
      `worker: ${RESTART}`,
      `worker: ${HEARTBEAT}`,
    ])
    assert.notEqual(await pids(), before, 'the worker restarted')
    vars = changed
  })

  it('a batch that does not come back stops the rollout with a clear message and exit 2; the next batch keeps running', async () => {
    const broken = standinVars(JSON.parse(vars).airflow_index_url, {
      ...JSON.parse(vars),
      airflow_worker_command: 'no-such-command',
      airflow_restart_timeout: 3,
    })
    const pid = async () => (await bed().exec('worker', 'systemctl show -p MainPID --value astronomer-core@worker')).stdout.trim()
    const before = await pid()
    const r = await runSite(inventory, broken, '-b')
    assert.equal(r.code, 2)
    assert.match(r.failures, /webserver The rollout stops here: the worker on webserver did not come back healthy within 3 s/)
    assert.ok(!r.failures.includes('worker The rollout'), 'only the first batch failed')
    assert.deepEqual(rollout(r.doc), [`webserver: ${RESTART}`, `webserver: ${HEARTBEAT}`], 'the second batch was not restarted')
    assert.equal(await pid(), before, 'the worker of the next batch still runs, untouched')
  })

  it('a certificate given with a vault-encrypted key: nginx serves it, the key never shows; the rollout recovers', async () => {
    const db = bed().host('db').address
    const [crt, key, pass] = ['proxy.crt', 'proxy.key', 'vault-pass'].map((f) => join(tmp, f))
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=airflow-proxy'].concat([
        '-addext',
        `subjectAltName=IP:${db}`,
        '-keyout',
        key!,
        '-out',
        crt!,
      ]),
      { stdio: 'ignore' },
    )
    const keyText = readFileSync(key!, 'utf8')
    writeFileSync(pass!, 'vault password for the proxy key\n')
    const enc = await acplay(['vault', 'encrypt', '--vault-password-file', pass!, key!])
    assert.equal(enc.code, 0, enc.stderr)
    assert.match(readFileSync(key!, 'utf8'), /^\$ANSIBLE_VAULT;1\.1;AES256/)
    const tls = standinVars(JSON.parse(vars).airflow_index_url, { ...JSON.parse(vars), proxy_tls_cert_src: crt, proxy_tls_key_src: key })
    const r = await runSite(inventory, tls, '-b', '--diff', '--vault-password-file', pass!)
    assert.equal(r.failures, '', r.stderr)
    assert.ok(r.doc.results.some((x) => x.host === 'db' && x.task.name === 'reload nginx' && x.status === 'changed'))
    const keyBody = keyText.split('\n').slice(1, 4).join('\n')
    assert.ok(!r.stdout.includes(keyBody) && !r.stderr.includes(keyBody), 'the private key is not in the output')
    // nginx's reload swaps its workers gracefully: a connection right after may meet the old ones
    let served: { status: number } | Error = new Error('not tried')
    for (let i = 0; i < 20; i++) {
      served = await viaProxy(db, readFileSync(crt!, 'utf8')).catch((e: Error) => e)
      if (!(served instanceof Error)) break
      await new Promise((res) => setTimeout(res, 250))
    }
    assert.ok(!(served instanceof Error), `nginx serves the given certificate (it verifies against it): ${served}`)
    assert.equal(served.status, 200)
    const onHost = await bed().exec('db', 'cat /etc/ssl/airflow-proxy/airflow.key')
    assert.equal(onHost.stdout, keyText, 'the key arrived decrypted')
    assert.deepEqual(await unitState('webserver', 'astronomer-core@worker'), ['active', 'enabled'], 'the broken batch recovered')
  })

  it('services are active again after the hosts reboot', async () => {
    for (const h of ['db', 'scheduler', 'webserver', 'worker']) await bed().reboot(h)
    for (const [host, unit] of [
      ['scheduler', 'astronomer-core@scheduler'],
      ['webserver', 'astronomer-core@webserver'],
      ['worker', 'astronomer-core@worker'],
      ['db', 'nginx'],
    ]) {
      let state: string[] = []
      for (let i = 0; i < 20 && state[0] !== 'active'; i++) {
        state = await unitState(host!, unit!)
        if (state[0] !== 'active') await new Promise((res) => setTimeout(res, 500))
      }
      assert.deepEqual(state, ['active', 'enabled'], `${unit} after reboot`)
    }
  })
})
