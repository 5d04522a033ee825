/** The Astronomer Core deployment on testbed hosts: host layouts, inventory and the stand-in's variables. */
import { fileURLToPath } from 'node:url'
import { STANDIN_REQUIREMENT } from './standin.js'

export const SITE = fileURLToPath(new URL('../../../playbooks/site.yml', import.meta.url))

/** Contains % / @ : ? # $ and a space: everything that breaks a DSN that is not fully encoded. */
export const TEST_DB_PASSWORD = 'p%ss/w@rd:?#$ x'

/** The reverse proxy shares the database host: a host outside the `airflow` group (pg_hba refuses it). */
export const CLUSTER = {
  hosts: ['db', 'scheduler', 'webserver', 'worker'],
  groups: { database: ['db'], scheduler: ['scheduler'], webserver: ['webserver'], workers: ['worker'], proxy: ['db'] },
}

export const SINGLE_NODE = {
  hosts: ['airflow1'],
  groups: { database: ['airflow1'], scheduler: ['airflow1'], webserver: ['airflow1'], workers: [] as string[] },
}

/** INI text for [airflow:children] (the testbed writes the rest). */
export const AIRFLOW_CHILDREN = '\n[airflow:children]\nscheduler\nwebserver\nworkers\n'

/** Extra vars that point the playbook at the stand-in on the local index (JSON for -e). */
export function standinVars(indexUrl: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    airflow_pip_packages: [STANDIN_REQUIREMENT],
    airflow_index_url: indexUrl,
    airflow_extra_index_url: '',
    // the local index is plain http: pip ignores it unless trusted
    airflow_pip_extra_args: `--trusted-host ${new URL(indexUrl).hostname}`,
    // the stand-in touches it on each heartbeat: the rolling restart waits for a fresh one
    airflow_worker_heartbeat_file: '/usr/local/airflow/standin-worker.heartbeat',
    ...extra,
  })
}

/** Runs site.yml with --json and returns the document plus the failures as one string ('' = none). */
export async function runSite(inventory: string, vars: string, ...args: string[]) {
  const { acplay } = await import('./cli.js')
  const r = await acplay(['run', SITE, '-i', inventory, '-e', vars, '--json', ...args], { env: { AIRFLOW_DB_PASSWORD: TEST_DB_PASSWORD } })
  let doc: import('../../engine/report/json.js').JsonDocument
  try {
    doc = JSON.parse(r.stdout)
  } catch {
    throw new Error(`acplay printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  }
  const failures = doc.results.filter((x) => x.status === 'failed' || x.status === 'unreachable')
  return { ...r, doc, failures: failures.map((f) => `${f.host} ${f.task.name}: ${f.msg}`).join('\n') }
}

/** "host | role : task" for every changed result: what check mode predicts and a real run does. */
export const changedPairs = (doc: import('../../engine/report/json.js').JsonDocument) =>
  doc.results
    .filter((r) => r.status === 'changed')
    .map((r) => `${r.host} | ${r.task.role ?? ''} : ${r.task.name}`)
    .sort()
