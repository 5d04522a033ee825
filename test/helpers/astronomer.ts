/** The Astronomer Core deployment on testbed hosts: host layouts, inventory and the stand-in's variables. */
import { fileURLToPath } from 'node:url'
import { STANDIN_REQUIREMENT } from './standin.js'

export const SITE = fileURLToPath(new URL('../../../playbooks/site.yml', import.meta.url))

/** Contains % / @ : ? # $ and a space: everything that breaks a DSN that is not fully encoded. */
export const TEST_DB_PASSWORD = 'p%ss/w@rd:?#$ x'

export const CLUSTER = {
  hosts: ['db', 'scheduler', 'webserver', 'worker'],
  groups: { database: ['db'], scheduler: ['scheduler'], webserver: ['webserver'], workers: ['worker'] },
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
    airflow_db_allowed_cidr: '10.231.0.0/16',
    ...extra,
  })
}
