/**
 * python3-psycopg2 on testbed hosts: Ansible's community.postgresql modules need it on the host
 * (acplay's postgres modules do not). The .deb comes from the controller's own apt sources (the
 * hosts have no network but ours) and is served to the hosts over the testbed's HTTP server.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Testbed } from '../testbed/testbed.js'

/** Downloads the .deb into DIR/debs/ (apt-get download drops to the _apt user: DIR must be readable); returns its path under DIR. */
export function downloadPsycopg2(dir: string): string {
  const debs = join(dir, 'debs')
  mkdirSync(debs, { recursive: true })
  execFileSync('chmod', ['755', dir, debs])
  const download = () =>
    execFileSync('apt-get', ['download', '-qq', '-o', 'APT::Sandbox::User=root', 'python3-psycopg2'], { cwd: debs, stdio: ['ignore', 'ignore', 'pipe'] })
  try {
    download()
  } catch {
    // a fresh machine may have no package lists yet (setup-test-deps.sh updates them only to install)
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] })
    download()
  }
  const deb = readdirSync(debs).find((f) => f.endsWith('.deb'))
  if (!deb) throw new Error('apt-get download python3-psycopg2 produced no .deb')
  return `debs/${deb}`
}

/** Installs the .deb at `url` on each host (the URL is ours, made of fixed names: no user input). */
export async function installPsycopg2(bed: Testbed, hosts: string[], url: (host: string) => string): Promise<void> {
  await Promise.all(
    hosts.map(async (h) => {
      // python3 fetches (the image has no curl)
      const fetch = `python3 -c 'import sys,urllib.request; urllib.request.urlretrieve(sys.argv[1], "/tmp/psycopg2.deb")' '${url(h)}'`
      const r = await bed.exec(h, `set -e\n${fetch}\ndpkg -i /tmp/psycopg2.deb >/dev/null\nrm -f /tmp/psycopg2.deb\n`)
      if (r.rc !== 0) throw new Error(`installing python3-psycopg2 on ${h} failed: ${r.stderr}`)
    }),
  )
}
