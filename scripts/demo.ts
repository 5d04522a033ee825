/**
 * npm run demo           boot four throw-away Debian hosts (db + the nginx proxy, scheduler, webserver,
 *                        worker) on this machine and deploy Astronomer Core onto them with
 *                        playbooks/site.yml, using the Airflow STAND-IN (PyPI is unreachable here);
 *                        print where the webserver answers, through nginx. With the hosts already up
 *                        it deploys again: the recap then says changed=0, in seconds.
 * npm run demo -- check  audit the hosts against the playbook (acplay check: the drift table).
 * npm run demo -- down   remove the hosts.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AIRFLOW_CHILDREN, CLUSTER, SITE, standinVars } from '../test/helpers/astronomer.js'
import { buildStandinIndex } from '../test/helpers/standin.js'
import { inventoryText } from '../test/testbed/inventory.js'
import { serveDir } from '../test/testbed/serve.js'
import { isOurNspawn, STATE_ROOT, type SlotRecord } from '../test/testbed/slots.js'
import type { TestHost } from '../test/testbed/testbed.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The demo's database password: made once per set of hosts, kept root-only beside the testbed's state. */
const PASSWORD_FILE = join(STATE_ROOT, 'demo-db-password')
/** The demo's hosts are a testbed of their own: `npm run testbed -- up` elsewhere does not get in the way. */
const STATE_NAME = 'demo.json'
const testbed = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist/test/testbed/cli.js'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, ACPLAY_TESTBED_STATE: STATE_NAME },
  }).status ?? 1

interface TestbedState {
  hosts: TestHost[]
  key: string
  knownHostsFile: string
  inventory: string
  records: SlotRecord[]
}

function readState(): TestbedState | undefined {
  try {
    return JSON.parse(readFileSync(join(STATE_ROOT, STATE_NAME), 'utf8')) as TestbedState
  } catch {
    return undefined
  }
}

/** The demo's hosts when they are up: undefined when nothing is up; an error when other testbed hosts are. */
function demoHosts(): TestbedState | undefined {
  const state = readState()
  if (!state?.records.some((r) => isOurNspawn(r))) return undefined
  const names = state.hosts.map((h) => h.name).sort()
  if (names.join() !== [...CLUSTER.hosts].sort().join())
    throw new Error(`${join(STATE_ROOT, STATE_NAME)} names other hosts (${names.join(', ')}): run \`npm run demo -- down\` first`)
  return state
}

function password(fresh: boolean): string {
  if (!fresh && existsSync(PASSWORD_FILE)) return readFileSync(PASSWORD_FILE, 'utf8')
  // contains what breaks a DSN that is not fully percent-encoded
  const made = `${randomBytes(12).toString('base64url')} %/@:?#$`
  writeFileSync(PASSWORD_FILE, made, { mode: 0o600 })
  return made
}

/** Runs acplay `verb` (run or check) on the demo's hosts, serving the stand-in's package index meanwhile. */
async function acplay(verb: 'run' | 'check', state: TestbedState, fresh: boolean): Promise<{ code: number; inventory: string }> {
  const inventory = state.inventory.replace(/\.ini$/, '-airflow.ini')
  writeFileSync(inventory, inventoryText(state.hosts, state.key, state.knownHostsFile, { user: 'deploy', groups: CLUSTER.groups }))
  appendFileSync(inventory, AIRFLOW_CHILDREN)
  const index = buildStandinIndex(mkdtempSync(join(tmpdir(), 'acplay-standin-')))
  const served = await serveDir(index)
  try {
    const vars = standinVars(`http://${state.hosts[0]!.gateway}:${served.port}/simple/`)
    console.log(`\n${verb === 'run' ? 'deploying' : 'auditing'} Astronomer Core (Airflow stand-in) as deploy with become:`)
    console.log(`  acplay ${verb} playbooks/site.yml -i ${inventory} -b -e '<stand-in vars>'\n`)
    // async: this process serves the index while acplay runs
    const child = spawn(process.execPath, [join(ROOT, 'bin/acplay'), verb, SITE, '-i', inventory, '-b', '-e', vars], {
      stdio: 'inherit',
      env: { ...process.env, AIRFLOW_DB_PASSWORD: password(fresh) },
    })
    const code = await new Promise<number>((ok) => child.on('close', (c) => ok(c ?? 1)))
    return { code, inventory }
  } finally {
    await served.close()
    rmSync(index, { recursive: true, force: true })
  }
}

/** GET https://host/health through nginx; the demo's certificate is self-signed, made on the proxy. */
function healthThroughProxy(address: string): Promise<string> {
  return new Promise((ok) => {
    const req = request({ host: address, port: 443, path: '/health', rejectUnauthorized: false, timeout: 5000 }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => ok(`HTTP ${res.statusCode} ${body.trim()}`))
    })
    req.on('error', (e) => ok(`no answer (${e.message})`))
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.end()
  })
}

async function up(): Promise<number> {
  let state = demoHosts()
  const fresh = !state
  if (fresh) {
    if (testbed('up', ...CLUSTER.hosts) !== 0) return 1
    state = readState()!
  } else console.log(`the demo's hosts are up (${state!.hosts.map((h) => h.name).join(', ')}): deploying again`)
  const t0 = Date.now()
  const { code, inventory } = await acplay('run', state!, fresh)
  if (code !== 0) return code
  const proxy = state!.hosts.find((h) => h.name === CLUSTER.groups.proxy[0])!
  const web = state!.hosts.find((h) => h.name === 'webserver')!
  console.log(`\ndeployed in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  console.log(`Airflow through nginx (TLS, self-signed): https://${proxy.address}/  (try: curl -k https://${proxy.address}/health)`)
  console.log(`  /health through nginx: ${await healthThroughProxy(proxy.address)}`)
  console.log(`The webserver itself: http://${web.address}:8080/health`)
  console.log(`Inventory: ${inventory}`)
  console.log('Deploy again: npm run demo   Audit: npm run demo -- check   Remove the hosts: npm run demo -- down')
  return 0
}

async function check(): Promise<number> {
  const state = demoHosts()
  if (!state) {
    console.error('the demo is not up: run `npm run demo` first')
    return 1
  }
  return (await acplay('check', state, false)).code
}

function down(): number {
  rmSync(PASSWORD_FILE, { force: true })
  return testbed('down')
}

function usage(): Promise<number> {
  console.error('usage: npm run demo [-- check | down]')
  return Promise.resolve(2)
}

const cmd = process.argv[2]
const result = cmd === 'down' ? Promise.resolve(down()) : cmd === 'check' ? check() : cmd === undefined || cmd === 'up' ? up() : usage()
result.then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(1)
  },
)
