/**
 * npm run demo          boot four throw-away Debian hosts (db, scheduler, webserver, worker) on this
 *                       machine and deploy Astronomer Core onto them with playbooks/site.yml, using the
 *                       Airflow STAND-IN (PyPI is unreachable here); print where the webserver answers.
 * npm run demo -- down  remove the hosts.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AIRFLOW_CHILDREN, CLUSTER, SITE, standinVars } from '../test/helpers/astronomer.js'
import { buildStandinIndex } from '../test/helpers/standin.js'
import { inventoryText } from '../test/testbed/inventory.js'
import { serveDir } from '../test/testbed/serve.js'
import { STATE_ROOT } from '../test/testbed/slots.js'
import type { TestHost } from '../test/testbed/testbed.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const testbed = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist/test/testbed/cli.js'), ...args], { stdio: 'inherit' }).status ?? 1

async function up(): Promise<number> {
  if (testbed('up', ...CLUSTER.hosts) !== 0) return 1
  const state = JSON.parse(readFileSync(join(STATE_ROOT, 'cli.json'), 'utf8')) as { hosts: TestHost[]; key: string; knownHostsFile: string; inventory: string }
  const inventory = state.inventory.replace(/\.ini$/, '-airflow.ini')
  writeFileSync(inventory, inventoryText(state.hosts, state.key, state.knownHostsFile, { user: 'deploy', groups: CLUSTER.groups }))
  appendFileSync(inventory, AIRFLOW_CHILDREN)
  const served = await serveDir(buildStandinIndex())
  try {
    const vars = standinVars(`http://${state.hosts[0]!.gateway}:${served.port}/simple/`)
    console.log(
      `\ndeploying Astronomer Core (Airflow stand-in) as deploy with become:\n  acplay run playbooks/site.yml -i ${inventory} -b -e '<stand-in vars>'\n`,
    )
    const password = `${randomBytes(12).toString('base64url')} %/@:?#$`
    // async: this process serves the index while acplay runs
    const child = spawn(process.execPath, [join(ROOT, 'bin/acplay'), 'run', SITE, '-i', inventory, '-b', '-e', vars], {
      stdio: 'inherit',
      env: { ...process.env, AIRFLOW_DB_PASSWORD: password },
    })
    const code = await new Promise<number>((ok) => child.on('close', (c) => ok(c ?? 1)))
    if (code !== 0) return code
  } finally {
    await served.close()
  }
  const web = state.hosts.find((h) => h.name === 'webserver')!
  console.log(`\nThe webserver answers at http://${web.address}:8080/health  (try: curl http://${web.address}:8080/health)`)
  console.log(`Inventory: ${inventory}\nRemove the hosts with: npm run demo -- down`)
  return 0
}

function usage(): Promise<number> {
  console.error('usage: npm run demo [-- down]')
  return Promise.resolve(2)
}

const cmd = process.argv[2]
const result = cmd === 'down' ? Promise.resolve(testbed('down')) : cmd === undefined || cmd === 'up' ? up() : usage()
result.then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(1)
  },
)
