/**
 * Ansible's setup and acplay's probe on the same testbed host, one right after the other: for the
 * recording in this directory (record.ts) and the differential test (test/modules/setup.test.ts).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandLine } from '../../../engine/apply-plan.js'
import { type SetupArgs, setupFacts } from '../../../modules/facts/setup/index.js'
import { netnsName } from '../../testbed/network.js'
import { must } from '../../testbed/sh.js'
import type { Testbed } from '../../testbed/testbed.js'

export const SETUP_ARGS: SetupArgs = { gatherSubset: ['all'], gatherTimeout: 10, filter: [], factPath: '/etc/ansible/facts.d', python: 'python3' }

export const STATIC_FACT = '[general]\nowner = ops\nport: 8080\n\n[paths]\nhome = /srv/%(name)s\nname = app\n'
export const DYNAMIC_FACT = '#!/bin/sh\necho \'{"role": "db", "replicas": [1, 2]}\'\n'

/**
 * What the tests expect on a host: a default route (via an address nobody has on the host's own
 * link, so `ip route get` answers and nothing leaves the testbed) and two local facts.
 */
export async function prepareFactsHost(bed: Testbed, name: string): Promise<{ gateway: string }> {
  const host = bed.host(name)
  const gateway = host.address.replace(/\.\d+$/, '.254')
  // the container may not change its routes (no CAP_NET_ADMIN): set from outside, in its namespace
  await must(['ip', '-n', netnsName(host.slot), 'route', 'replace', 'default', 'via', gateway, 'dev', 'host0', 'onlink'])
  const script = [
    'mkdir -p /etc/ansible/facts.d',
    `printf '%s' '${STATIC_FACT}' > /etc/ansible/facts.d/static.fact`,
    `printf '%s' '${DYNAMIC_FACT.replace(/'/g, `'\\''`)}' > /etc/ansible/facts.d/dynamic.fact`,
    'chmod 0755 /etc/ansible/facts.d/dynamic.fact',
  ].join('\n')
  const r = await bed.exec(name, `set -e\n${script}`)
  if (r.rc !== 0) throw new Error(`preparing ${name} failed: ${r.stderr}`)
  return { gateway }
}

/** `ansible HOST -m setup` (Debian's ansible) against a testbed host: its ansible_facts. */
export async function ansibleSetup(bed: Testbed, name: string): Promise<Record<string, unknown>> {
  const tree = mkdtempSync(join(tmpdir(), 'acplay-facts-tree-'))
  try {
    const inventory = bed.inventory({ hosts: [name] })
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve, reject) => {
      const child = spawn('ansible', ['-i', inventory, name, '-m', 'setup', '-t', tree], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d))
      child.stderr.on('data', (d: Buffer) => (out += d))
      child.on('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new Error("Debian's ansible is not installed (bash scripts/setup-test-deps.sh)") : e),
      )
      child.on('close', (c) => resolve({ code: c ?? 1, out }))
    })
    if (code !== 0) throw new Error(`ansible -m setup failed (${code}): ${out.slice(-2000)}`)
    return (JSON.parse(readFileSync(join(tree, name), 'utf8')) as { ansible_facts: Record<string, unknown> }).ansible_facts
  } finally {
    rmSync(tree, { recursive: true, force: true })
  }
}

/** The probe's raw output from the host (what setupFacts parses). */
export async function probeRaw(bed: Testbed, name: string): Promise<string> {
  const out = await bed.connection(name).exec(`${commandLine(setupFacts.command(SETUP_ARGS))}\n`)
  if (out.rc !== 0) throw new Error(`probe failed (${out.rc}): ${out.stderr}`)
  return out.stdout
}
