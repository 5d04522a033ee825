/**
 * Issue 7, the measure of check mode: for the whole Astronomer playbook on four real hosts, the
 * (host, task) pairs `acplay check` reports changed EQUAL the pairs the following real run changes:
 * on fresh hosts (with zero failed tasks in check mode), and again after drift made by hand (a mode
 * changed, a unit disabled, the stand-in upgraded by hand with pip to 2.1.0 (outside the playbook's ==2.0.*), the env file edited, a DAG
 * deleted). The counts are printed. The check runs also write --report files, validated here.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { AuditReport } from '../../engine/report/audit-json.js'
import type { JsonDocument } from '../../engine/report/json.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { AIRFLOW_CHILDREN, CLUSTER, SITE, standinVars, TEST_DB_PASSWORD } from '../helpers/astronomer.js'
import { acplay } from '../helpers/cli.js'
import { buildStandinIndex } from '../helpers/standin.js'
import { testDir } from '../helpers/temp-dir.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const pair = (r: JsonDocument['results'][number]) => `${r.host} | ${r.task.handler ? 'handler ' : ''}${r.task.role ?? ''} : ${r.task.name}`
const changed = (doc: JsonDocument) =>
  doc.results
    .filter((r) => r.status === 'changed')
    .map(pair)
    .sort()
const failed = (doc: JsonDocument) =>
  doc.results.filter((r) => (r.status === 'failed' && !r.ignored) || r.status === 'unreachable').map((r) => `${pair(r)}: ${r.msg}`)

/** A copy of the stand-in wheel at another version (METADATA, dist-info and RECORD rewritten). */
function reversionWheel(indexDir: string, version: string): string {
  const out = mkdtempSync(join(tmpdir(), 'acplay-standin-up-'))
  const srcDir = join(indexDir, 'simple', 'airflow-standin')
  const wheel = join(srcDir, readdirSync(srcDir).find((f) => f.endsWith('.whl'))!)
  const py = `
import base64, hashlib, os, re, sys, zipfile
src, out, version = sys.argv[1:4]
files = {}
with zipfile.ZipFile(src) as z:
    for n in z.namelist():
        if n.endswith("/RECORD"): continue
        c = z.read(n)
        n = re.sub(r"^airflow_standin-[^/]+\\.dist-info/", f"airflow_standin-{version}.dist-info/", n)
        if n.endswith("/METADATA"): c = re.sub(rb"(?m)^Version: .*$", f"Version: {version}".encode(), c)
        files[n] = c
di = f"airflow_standin-{version}.dist-info"
h = lambda b: base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()
files[f"{di}/RECORD"] = ("".join(f"{p},sha256={h(c)},{len(c)}\\n" for p, c in files.items()) + f"{di}/RECORD,,\\n").encode()
d = os.path.join(out, "simple", "airflow-standin")
os.makedirs(d)
with zipfile.ZipFile(os.path.join(d, f"airflow_standin-{version}-py3-none-any.whl"), "w", zipfile.ZIP_DEFLATED) as z:
    for p, c in files.items(): z.writestr(p, c)
`
  execFileSync('python3', ['-c', py, wheel, out, version])
  return out
}

describe('check mode tells the truth: the Astronomer playbook on four hosts', { skip: testbedSkip() }, () => {
  const bed = useTestbed(CLUSTER.hosts)
  const env = { AIRFLOW_DB_PASSWORD: TEST_DB_PASSWORD }
  const reports = mkdtempSync(join(tmpdir(), 'acplay-fidelity-'))
  const standin = testDir('standin')
  let inventory = ''
  let vars = ''
  let upgradeIndex = ''
  const closers: (() => Promise<void>)[] = []

  const acplayJson = async (args: string[]) => {
    const r = await acplay([...args, SITE, '-i', inventory, '-e', vars, '-b', '--json'], { env })
    try {
      return { ...r, doc: JSON.parse(r.stdout) as JsonDocument }
    } catch {
      throw new Error(`acplay printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
    }
  }

  /** check, then the real run; asserts the equality and prints the counts. */
  async function measure(label: string): Promise<{ predicted: string[]; actual: string[] }> {
    const json = join(reports, `${label}.json`)
    const xml = join(reports, `${label}.xml`)
    const check = await acplayJson(['check', '--report', json, '--report', xml])
    const real = await acplayJson(['run'])
    const predicted = changed(check.doc)
    const actual = changed(real.doc)
    const missed = actual.filter((p) => !predicted.includes(p))
    const extra = predicted.filter((p) => !actual.includes(p))
    console.log(
      `fidelity [${label}]: check predicted ${predicted.length} changed (host, task) pairs (${check.doc.results.filter((r) => r.mayChange).length} of them may change), the real run changed ${actual.length}; ` +
        `missed ${missed.length}, extra ${extra.length}; failed in check ${failed(check.doc).length}, in the run ${failed(real.doc).length}`,
    )
    if (predicted.length <= 10) for (const p of predicted) console.log(`  predicted and changed: ${p}`)
    for (const p of missed) console.log(`  missed by check: ${p}`)
    for (const p of extra) console.log(`  predicted, not changed: ${p}`)
    assert.deepEqual(failed(check.doc), [], 'check mode fails nothing')
    assert.deepEqual(failed(real.doc), [], 'the real run fails nothing')
    assert.deepEqual(predicted, actual, 'check mode predicts exactly what the real run changes')
    assert.equal(check.code, predicted.length ? 2 : 0, `acplay check's detailed exit code\n${check.stderr}`)
    // the reports of a real fleet audit: valid, consistent with the run, secret-free
    const audit = JSON.parse(readFileSync(json, 'utf8')) as AuditReport
    assert.deepEqual(auditSchemaErrors(audit), [])
    assert.equal(audit.drift.tasks, predicted.length)
    for (const text of [readFileSync(json, 'utf8'), readFileSync(xml, 'utf8'), check.stdout, real.stdout]) {
      assert.ok(!text.includes(TEST_DB_PASSWORD) && !text.includes(encodeURIComponent(TEST_DB_PASSWORD)), 'no password in any output')
    }
    return { predicted, actual }
  }

  before(async () => {
    const index = buildStandinIndex(standin)
    const served = await bed().serve(index)
    const upgradeDir = reversionWheel(index, '2.1.0')
    const servedUp = await bed().serve(upgradeDir)
    closers.push(served.close, servedUp.close, async () => rmSync(upgradeDir, { recursive: true, force: true }))
    inventory = bed().inventory({ user: 'deploy', groups: CLUSTER.groups })
    appendFileSync(inventory, AIRFLOW_CHILDREN)
    vars = standinVars(`${served.urlFor('db')}simple/`)
    upgradeIndex = `${servedUp.urlFor('worker')}simple/`
  })
  after(async () => {
    for (const c of closers) await c()
    rmSync(reports, { recursive: true, force: true })
  })

  it('on fresh hosts: check predicts the first deployment exactly, with zero failed tasks', async () => {
    const { predicted } = await measure('fresh')
    assert.ok(predicted.length > 20, `a fresh deployment changes many tasks (${predicted.length})`)
  })

  it('after hand-made drift: check predicts exactly what the real run repairs', async () => {
    const sh = async (host: string, script: string) => {
      const r = await bed().exec(host, script)
      assert.equal(r.rc, 0, `${host}: ${script}\n${r.stderr}`)
    }
    await sh('scheduler', 'chmod 0700 /usr/local/airflow')
    await sh('webserver', 'systemctl disable astronomer-core@webserver')
    const indexHost = new URL(upgradeIndex).hostname
    await sh(
      'worker',
      `runuser -u astro -- /home/astro/airflow-venv/bin/pip install -q --index-url ${upgradeIndex} --trusted-host ${indexHost} airflow-standin==2.1.0`,
    )
    await sh('scheduler', "sed -i 's/^AIRFLOW__CORE__EXECUTOR=.*/AIRFLOW__CORE__EXECUTOR=LocalExecutor/' /etc/default/astronomer-core")
    await sh('worker', 'rm /usr/local/airflow/dags/example_dag.py')
    const { predicted } = await measure('drift')
    for (const expected of [
      'scheduler | airflow_common : AIRFLOW_HOME exists, owned by astro',
      'webserver | rollout : The service is enabled at boot',
      'scheduler | airflow_common : The environment file for the services',
      'worker | dags : DAGs are synced from the control machine',
      'worker | airflow_common : Astronomer Core is installed in its virtualenv',
      'worker | rollout : The service restarts for its changed package, unit or settings',
    ]) {
      assert.ok(predicted.includes(expected), `drift found: ${expected}`)
    }
    // the real run put the version the playbook asks for back
    const pipShow = await bed().exec('worker', 'runuser -u astro -- /home/astro/airflow-venv/bin/pip show airflow-standin | grep ^Version')
    assert.equal(pipShow.stdout.trim(), 'Version: 2.0.0')
  })
})
