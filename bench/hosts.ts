/**
 * The benchmark's hosts: a testbed of N fresh hosts, prepared identically for both tools before
 * any timing (Ansible's postgresql modules need python3-psycopg2 on the host; acplay does not,
 * but both tools get the same hosts), and the local HTTP server with the pip index (the small
 * wheel the playbook installs) and the plugin file the playbook's get_url downloads.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Testbed } from '../test/testbed/testbed.js'
import { downloadPsycopg2, installPsycopg2 } from '../test/helpers/psycopg2.js'
import { buildWheel } from '../test/helpers/wheels.js'

export const BENCH_PACKAGE = { name: 'acplay-bench-app', version: '1.0.0' }

/** Built once per bench run: the wheel index (DIR/simple/...), the psycopg2 .deb (DIR/debs/), the plugin (DIR/plugins/). */
export interface Artifacts {
  dir: string
  /** the psycopg2 .deb, relative to dir */
  deb: string
  /** sha256 of DIR/plugins/bench_plugin.py (get_url's checksum) */
  pluginSha256: string
}

const PLUGIN =
  '# An Airflow plugin the benchmark downloads with get_url.\nfrom airflow.plugins_manager import AirflowPlugin\n\n\nclass BenchPlugin(AirflowPlugin):\n    name = "bench"\n'

export function buildArtifacts(): Artifacts {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-bench-'))
  buildWheel(dir, BENCH_PACKAGE)
  const deb = downloadPsycopg2(dir)
  mkdirSync(join(dir, 'plugins'))
  writeFileSync(join(dir, 'plugins', 'bench_plugin.py'), PLUGIN)
  return { dir, deb, pluginSha256: createHash('sha256').update(PLUGIN).digest('hex') }
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

/** Boots `n` fresh hosts, serves the artifacts and installs python3-psycopg2 on every host. */
export async function freshBed(n: number, art: Artifacts, log: (m: string) => void): Promise<BenchBed> {
  const bed = await Testbed.up({ hosts: n, log })
  try {
    const served = await bed.serve(art.dir)
    const first = bed.hosts[0]!.name
    await installPsycopg2(
      bed,
      bed.hosts.map((h) => h.name),
      (h) => `${served.urlFor(h)}${art.deb}`,
    )
    log(`bench: ${n} fresh host(s) up in ${bed.timings.bootS.toFixed(1)} s, prepared`)
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
