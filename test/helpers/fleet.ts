/**
 * The fleet's hosts: light testbed hosts (sshd alone, test/testbed/light.ts) with the fleet
 * playbook's venv prepared in a cached layer, so its pip task reads a real venv and installs
 * nothing (no index is reachable from the hosts). For the --slice test and `npm run bench -- fleet`.
 */
import { join } from 'node:path'
import { ensureLayer } from '../testbed/layer.js'
import { Testbed } from '../testbed/testbed.js'
import { ROOT } from './cli.js'

export const FLEET_PLAYBOOK = join(ROOT, 'bench/fleet/playbook.yml')

/** The venv the playbook's pip task checks: pip and setuptools from ensurepip, as `python3 -m venv` makes it. */
const VENV_RECIPE = 'mkdir -p /opt/fleet && python3 -m venv /opt/fleet/venv'

export function fleetVenvLayer(log?: (m: string) => void): Promise<string> {
  return ensureLayer('fleet-venv', VENV_RECIPE, log)
}

/** `n` light hosts f001..fNNN (names sort like their numbers) with the venv layer. */
export async function fleetBed(n: number, log?: (m: string) => void): Promise<Testbed> {
  const width = String(n).length
  const names = Array.from({ length: n }, (_, i) => `f${String(i + 1).padStart(width, '0')}`)
  return Testbed.up({ hosts: names, light: true, layers: [await fleetVenvLayer(log)], log })
}
