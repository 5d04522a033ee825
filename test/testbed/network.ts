/**
 * One network namespace per host: veth ve-acpN (outer, 10.231.N.1/24) <-> host0 (inside,
 * 10.231.N.11/24). The only route inside is 10.231.0.0/16 via the outer side, so hosts reach each
 * other (the outer machine forwards) and nothing else.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { must, runSync } from './sh.js'

export const netnsName = (slot: number) => `acp-${slot}`
export const linkName = (slot: number) => `ve-acp${slot}`
export const hostAddress = (slot: number) => `10.231.${slot}.11`
export const gatewayAddress = (slot: number) => `10.231.${slot}.1`

export async function setupNetwork(slot: number): Promise<void> {
  const ns = netnsName(slot)
  const link = linkName(slot)
  enableForwarding()
  await must(['ip', 'netns', 'add', ns])
  await must(['ip', 'link', 'add', link, 'type', 'veth', 'peer', 'name', 'host0', 'netns', ns])
  await must(['ip', 'addr', 'add', `${gatewayAddress(slot)}/24`, 'dev', link])
  await must(['ip', 'link', 'set', link, 'up'])
  await must(['ip', '-n', ns, 'link', 'set', 'lo', 'up'])
  await must(['ip', '-n', ns, 'addr', 'add', `${hostAddress(slot)}/24`, 'dev', 'host0'])
  await must(['ip', '-n', ns, 'link', 'set', 'host0', 'up'])
  await must(['ip', '-n', ns, 'route', 'add', '10.231.0.0/16', 'via', gatewayAddress(slot)])
}

function enableForwarding(): void {
  const f = '/proc/sys/net/ipv4/ip_forward'
  if (readFileSync(f, 'utf8').trim() !== '1') writeFileSync(f, '1\n')
}

/** Idempotent: removes whatever of the slot's namespace and link exists. */
export function teardownNetworkSync(slot: number): void {
  if (existsSync(`/run/netns/${netnsName(slot)}`)) runSync(['ip', 'netns', 'del', netnsName(slot)])
  if (linkExists(slot)) runSync(['ip', 'link', 'del', linkName(slot)])
}

export function linkExists(slot: number): boolean {
  return existsSync(`/sys/class/net/${linkName(slot)}`)
}

export function netnsExists(slot: number): boolean {
  return existsSync(`/run/netns/${netnsName(slot)}`)
}

export function setLink(slot: number, up: boolean): Promise<string> {
  return must(['ip', 'link', 'set', linkName(slot), up ? 'up' : 'down'])
}
