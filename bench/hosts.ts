/**
 * The benchmark's hosts: a testbed of N fresh hosts, the same for both tools (the image has the
 * python3-psycopg2 Ansible's postgresql modules need on the host; acplay's need nothing), and the
 * local HTTP server with the pip index (the small wheel the playbook installs) and the plugin file
 * the playbook's get_url downloads.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Testbed } from '../test/testbed/testbed.js'
import { buildWheel } from '../test/helpers/wheels.js'

export const BENCH_PACKAGE = { name: 'acplay-bench-app', version: '1.0.0' }

/** Built once per bench run: the wheel index (DIR/simple/...) and the plugin (DIR/plugins/). */
export interface Artifacts {
  dir: string
  /** sha256 of DIR/plugins/bench_plugin.py (get_url's checksum) */
  pluginSha256: string
}

const PLUGIN =
  '# An Airflow plugin the benchmark downloads with get_url.\nfrom airflow.plugins_manager import AirflowPlugin\n\n\nclass BenchPlugin(AirflowPlugin):\n    name = "bench"\n'

export function buildArtifacts(): Artifacts {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-bench-'))
  buildWheel(dir, BENCH_PACKAGE)
  mkdirSync(join(dir, 'plugins'))
  writeFileSync(join(dir, 'plugins', 'bench_plugin.py'), PLUGIN)
  return { dir, pluginSha256: createHash('sha256').update(PLUGIN).digest('hex') }
}

export interface BenchBed {
  bed: Testbed
  /** INI inventory (the same file for ansible-playbook and acplay) */
  inventory: string
  /** pip index URL as the hosts see it */
  indexUrl: string
  /** the index's host, for pip --trusted-host (plain http on the test network) */
  indexHost: string
  /** the plugin's URL and sha256 (get_url) */
  pluginUrl: string
  pluginSha256: string
}

/** The playbook's -e, the same for both tools. */
export function benchVars(b: BenchBed): Record<string, string> {
  return { airflow_index_url: b.indexUrl, airflow_index_host: b.indexHost, airflow_plugin_url: b.pluginUrl, airflow_plugin_sha256: b.pluginSha256 }
}

/** Boots `n` fresh hosts and serves the artifacts to them. */
export async function freshBed(n: number, art: Artifacts, log: (m: string) => void): Promise<BenchBed> {
  const bed = await Testbed.up({ hosts: n, log })
  try {
    const served = await bed.serve(art.dir)
    const first = bed.hosts[0]!.name
    log(`bench: ${n} fresh host(s) up in ${bed.timings.bootS.toFixed(1)} s`)
    // one URL for all: every gateway address is the outer machine, which every host routes to
    return {
      bed,
      inventory: bed.inventory({ user: 'root' }),
      indexUrl: `${served.urlFor(first)}simple/`,
      indexHost: bed.host(first).gateway,
      pluginUrl: `${served.urlFor(first)}plugins/bench_plugin.py`,
      pluginSha256: art.pluginSha256,
    }
  } catch (e) {
    await bed.down()
    throw e
  }
}

/** CPU seconds the hosts' processes have used so far (their cgroups); see Testbed.cpuUsageS. */
export function hostsCpuS(bed: Testbed): number {
  return bed.cpuUsageS()
}
