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

/**
 * Cuts the host's link without a reset: its side of the veth goes down and the outer side keeps a
 * permanent neighbour entry, so packets to it are dropped silently (no ARP failure, no ICMP), as on
 * a pulled cable. The outer link stays up: its route keeps 10.231.N.0/24 off the default route
 * (downing it would send the host's traffic to whatever the default gateway is).
 */
export async function cutLink(slot: number): Promise<void> {
  const ns = netnsName(slot)
  const mac = (await must(['ip', 'netns', 'exec', ns, 'cat', '/sys/class/net/host0/address'])).trim()
  await must(['ip', 'neigh', 'replace', hostAddress(slot), 'lladdr', mac, 'dev', linkName(slot), 'nud', 'permanent'])
  await must(['ip', '-n', ns, 'link', 'set', 'host0', 'down'])
}

/** Undoes cutLink: the link up, its route (dropped with the link) back, the neighbour entry learnt again. */
export async function restoreLink(slot: number): Promise<void> {
  const ns = netnsName(slot)
  await must(['ip', '-n', ns, 'link', 'set', 'host0', 'up'])
  await must(['ip', '-n', ns, 'route', 'replace', '10.231.0.0/16', 'via', gatewayAddress(slot)])
  await must(['ip', 'neigh', 'del', hostAddress(slot), 'dev', linkName(slot)])
}
