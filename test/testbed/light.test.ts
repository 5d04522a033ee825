/** Light testbed hosts (sshd alone per host, light.ts): they work as ssh targets, take faults, cost little and leave nothing behind. */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testbedSkip } from '../helpers/testbed-fixture.js'
import { bridgeName, lightCgroup, lightNetns } from './light.js'
import { pidAlive } from './sh.js'
import { mountsUnder, STATE_ROOT } from './slots.js'
import { Testbed } from './testbed.js'

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Kilobytes of a process's proportional set size (shared pages divided among their users). */
function pssKb(pid: number): number {
  return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN)
}

/** Mount namespaces (by inode) some process still has. */
function liveMountNamespaces(): Set<string> {
  const out = new Set<string>()
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue
    try {
      out.add(readlinkSync(`/proc/${p}/ns/mnt`))
    } catch {
      /* exited meanwhile */
    }
  }
  return out
}

/** A block dir present after our down(): another process's claim (or one being made), not ours left behind. */
function claimedByOther(block: number): boolean {
  const dir = join(STATE_ROOT, 'light', String(block))
  if (!existsSync(dir)) return false
  try {
    return (JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as { ownerPid: number }).ownerPid !== process.pid
  } catch {
    return true
  }
}

describe('light testbed hosts', { skip: testbedSkip() }, () => {
  let bed: Testbed
  const names = ['la', 'lb', 'lc', 'ld']

  before(async () => {
    const t0 = Date.now()
    bed = await Testbed.up({ hosts: names, light: true })
    console.log(`testbed: booted ${names.length} light hosts in ${secs(Date.now() - t0)}`)
  })
  after(async () => {
    await bed?.down()
  })

  it('gives each host its address in 10.231.128.0/17, its hostname and its own root', async () => {
    const addrs = bed.hosts.map((h) => h.address)
    assert.equal(new Set(addrs).size, names.length)
    for (const h of bed.hosts) {
      assert.equal(h.light, true)
      assert.match(h.address, /^10\.231\.(1[2-9]\d|2[0-5]\d)\.\d+$/)
      assert.ok(Number(h.address.split('.')[2]) >= 128, `${h.address} is in the light range`)
      assert.equal(h.state, 'running')
    }
    const r = await bed.exec('lb', 'hostname; cat /etc/hostname; awk \'$2 == "/" {print $3}\' /proc/mounts; ip -4 route show; cat /proc/1/comm')
    assert.equal(r.rc, 0, r.stderr)
    const [hostname, etcHostname, rootFs, ...rest] = r.stdout.trim().split('\n')
    assert.equal(hostname, 'lb')
    assert.equal(etcHostname, 'lb')
    assert.equal(rootFs, 'overlay')
    assert.doesNotMatch(rest.join('\n'), /default/, 'no default route')
    assert.match(rest.join('\n'), /^10\.231\.0\.0\/16 via 10\.231\.\d+\.1 dev eth0/m)
  })

  it('runs sshd alone: no systemd, one process per idle host, and a small footprint', async () => {
    let total = 0
    for (const pid of bed.pids) {
      assert.ok(pidAlive(pid))
      total += pssKb(pid)
    }
    const perHost = total / bed.pids.length
    console.log(`testbed: an idle light host is one sshd, ${(perHost / 1024).toFixed(2)} MB PSS`)
    assert.ok(perHost < 4096, `PSS per idle light host ${perHost} kB`)
    const r = await bed.exec('la', 'test -d /run/systemd/system && echo systemd || echo none')
    assert.equal(r.stdout.trim(), 'none')
  })

  it('gives deploy passwordless sudo, python3, and a pty when asked (ssh -tt, as Ansible does)', async () => {
    const r = await bed.exec('lc', 'sudo -n whoami && python3 -c "print(6*7)"', { user: 'deploy' })
    assert.equal(r.stdout, 'root\n42\n', r.stderr)
    const h = bed.host('lc')
    const { run } = await import('./sh.js')
    const { sshArgv } = await import('./host.js')
    const tty = await run([
      ...sshArgv({ address: h.address, user: 'root', key: bed.key, knownHostsFile: bed.knownHostsFile }).slice(0, -1),
      '-tt',
      `root@${h.address}`,
      'tty',
    ])
    assert.equal(tty.rc, 0, tty.stderr)
    assert.match(tty.stdout, /^\/dev\/pts\/\d+/)
  })

  it('lets hosts reach each other by name (across the bridge)', async () => {
    const r = await bed.exec('la', `python3 -c 'import socket; s = socket.create_connection(("ld", 22), 3); print(s.recv(7).decode())'`)
    assert.equal(r.stdout.trim(), 'SSH-2.0', r.stderr)
  })

  it('connects acplay SshConnection with host key checking on', async () => {
    const conn = bed.connection('ld')
    try {
      assert.equal((await conn.exec('hostname')).stdout.trim(), 'ld')
    } finally {
      await conn.close()
    }
  })

  it('cuts and restores the network, refuses after stopSshd, hangs the handshake when frozen, reboots with state kept', async () => {
    await bed.exec('lb', 'echo survives > /root/marker')
    await bed.cutNetwork('lb')
    assert.notEqual((await bed.exec('lb', 'true', { timeoutMs: 8_000 })).rc, 0)
    await bed.restoreNetwork('lb')
    assert.equal((await bed.exec('lb', 'true')).rc, 0)

    bed.freezeSshd('lb')
    const t0 = Date.now()
    const hung = await bed.exec('lb', 'true', { timeoutMs: 3_000 })
    assert.notEqual(hung.rc, 0, 'no answer from a frozen sshd')
    assert.ok(Date.now() - t0 >= 2_500, 'the client waited: the TCP connect succeeded, the handshake hung')
    bed.freezeSshd('lb', false)
    assert.equal((await bed.exec('lb', 'true')).rc, 0)

    await bed.stopSshd('lb')
    const refused = await bed.exec('lb', 'true')
    assert.equal(refused.rc, 255)
    assert.match(refused.stderr, /refused/)

    await bed.reboot('lb')
    const r = await bed.exec('lb', 'cat /root/marker; hostname')
    assert.equal(r.stdout, 'survives\nlb\n', r.stderr)
  })

  it('leaves no process, mount namespace, mount, netns, veth, bridge, cgroup, block or temp dir after down()', async () => {
    const pids = bed.pids
    assert.equal(pids.length, names.length)
    const namespaces = new Set(pids.map((p) => readlinkSync(`/proc/${p}/ns/mnt`)))
    const blocks = [...new Set(bed.hosts.map((h) => h.slot))]
    const hosts = bed.hosts.map((h) => ({ block: h.slot, index: Number(h.address.split('.')[3]) }))
    const t0 = Date.now()
    await bed.down()
    console.log(`testbed: light down in ${secs(Date.now() - t0)}`)
    for (const pid of pids) assert.equal(pidAlive(pid), false, `sshd ${pid} still alive`)
    const live = liveMountNamespaces()
    for (const ns of namespaces) assert.equal(live.has(ns), false, `mount namespace ${ns} still in use`)
    assert.deepEqual(mountsUnder(bed.dir), [], 'no mount left under the testbed dir')
    assert.equal(existsSync(bed.dir), false, 'testbed dir removed')
    const netnsLeft = hosts.filter(({ block, index }) => existsSync(`/run/netns/${lightNetns(block, index)}`))
    const cgroupsLeft = hosts.map(({ block, index }) => ({ block, cg: lightCgroup(block, index) })).filter(({ cg }) => cg && existsSync(cg))
    const bridgesLeft = blocks.filter((b) => existsSync(`/sys/class/net/${bridgeName(b)}`))
    // Another test file's light testbed may claim a block as soon as down() released it (files run
    // two at once): what is there then is that testbed's, read after ours were checked.
    const ours = blocks.filter((b) => !claimedByOther(b))
    for (const { block, index } of netnsLeft) assert.equal(ours.includes(block), false, `netns ${lightNetns(block, index)} removed`)
    for (const { block, cg } of cgroupsLeft) assert.equal(ours.includes(block), false, `cgroup ${cg} removed`)
    for (const b of ours) {
      assert.equal(bridgesLeft.includes(b), false, `bridge ${bridgeName(b)} removed`)
      assert.equal(existsSync(join(STATE_ROOT, 'light', String(b))), false, `block ${b} released`)
      // a netns is destroyed asynchronously after its last user: its veth goes within moments
      const until = Date.now() + 5_000
      let links = readdirSync('/sys/class/net').filter((n) => n.startsWith(`vl${b}-`))
      while (links.length && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50))
        links = readdirSync('/sys/class/net').filter((n) => n.startsWith(`vl${b}-`))
      }
      assert.deepEqual(links, [], `veths of block ${b} removed`)
    }
  })
})
