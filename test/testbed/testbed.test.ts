/** The testbed itself: real hosts come up, talk to each other, and leave nothing behind. */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SshConnection } from '../../engine/connection/ssh.js'
import { testbedSkip } from '../helpers/testbed-fixture.js'
import { cgroupDirs } from './cgroup.js'
import { linkExists, netnsExists } from './network.js'
import { pidAlive } from './sh.js'
import { mountsUnder, readSlot, STATE_ROOT } from './slots.js'
import { Testbed } from './testbed.js'

/** Everything a testbed holds on the outer machine must be gone after down(). */
function assertNothingLeft(bed: Testbed, pids: number[], slots: number[]): void {
  for (const pid of pids) assert.equal(pidAlive(pid), false, `nspawn pid ${pid} still alive`)
  assert.deepEqual(mountsUnder(bed.dir), [], 'no mount left under the testbed dir')
  assert.equal(existsSync(bed.dir), false, 'testbed dir removed')
  for (const n of slots) {
    const left = { netns: netnsExists(n), link: linkExists(n), cgroups: cgroupDirs(n).filter((cg) => existsSync(cg)) }
    // Another test file's testbed may claim the slot as soon as down() released it (files run two at
    // once): its resources are then that testbed's, read after ours were checked.
    const claimedSince = existsSync(join(STATE_ROOT, 'slots', String(n)))
    if (claimedSince && readSlot(n)?.ownerPid !== process.pid) continue
    assert.equal(claimedSince, false, `slot ${n} released`)
    assert.equal(left.netns, false, `netns acp-${n} removed`)
    assert.equal(left.link, false, `link ve-acp${n} removed`)
    assert.deepEqual(left.cgroups, [], `cgroups of slot ${n} removed`)
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

describe('testbed with two hosts', { skip: testbedSkip() }, () => {
  let bed: Testbed
  let served: string

  before(async () => {
    const t0 = Date.now()
    bed = await Testbed.up({ hosts: ['alpha', 'beta'] })
    const b = bed.timings.imageBuildS
    console.log(`testbed: image ${b === undefined ? 'cached' : `built cold in ${b.toFixed(1)} s`}`)
    console.log(`testbed: booted 2 hosts in ${secs(Date.now() - t0)}`)
    served = mkdtempSync(join(tmpdir(), 'acplay-serve-'))
  })
  after(async () => {
    await bed?.down()
    rmSync(served, { recursive: true, force: true })
  })

  it('boots systemd to "running" on every host, with the inventory name as hostname', async () => {
    for (const h of bed.hosts) {
      assert.equal(h.state, 'running')
      const r = await bed.exec(h.name, 'systemctl is-system-running; hostname')
      assert.equal(r.stdout, `running\n${h.name}\n`, r.stderr)
      assert.match(h.address, /^10\.231\.\d+\.11$/)
      assert.equal(h.gateway, h.address.replace(/\.11$/, '.1'))
    }
  })

  it('gives deploy passwordless sudo', async () => {
    const r = await bed.exec('alpha', 'sudo -n true && sudo -n whoami', { user: 'deploy' })
    assert.equal(r.rc, 0, r.stderr)
    assert.equal(r.stdout.trim(), 'root')
  })

  it('routes only 10.231.0.0/16 inside a host (no default route)', async () => {
    const r = await bed.exec('alpha', 'ip -4 route show')
    assert.doesNotMatch(r.stdout, /default/)
    assert.match(r.stdout, /^10\.231\.0\.0\/16 via 10\.231\.\d+\.1 dev host0/m)
  })

  it('lets one host reach another on a TCP port, by inventory name', async () => {
    const setup = await bed.exec(
      'beta',
      'mkdir -p /srv/www && echo hello-from-beta > /srv/www/hi.txt && systemd-run --unit=acp-http -p WorkingDirectory=/srv/www python3 -m http.server 8080',
    )
    assert.equal(setup.rc, 0, setup.stderr)
    const fetch = `python3 - <<'PY'
import time, urllib.request
for _ in range(50):
    try:
        print(urllib.request.urlopen('http://beta:8080/hi.txt', timeout=2).read().decode(), end='')
        break
    except OSError:
        time.sleep(0.1)
PY`
    const r = await bed.exec('alpha', fetch)
    assert.equal(r.stdout, 'hello-from-beta\n', r.stderr)
  })

  it('connects acplay SshConnection with host key checking on, and refuses an unknown host key', async () => {
    const conn = bed.connection('alpha')
    try {
      const r = await conn.exec('hostname')
      assert.equal(r.stdout.trim(), 'alpha')
      assert.equal(conn.connectCount, 1)
    } finally {
      await conn.close()
    }
    const empty = join(bed.dir, 'empty_known_hosts')
    writeFileSync(empty, '')
    const h = bed.host('alpha')
    const stranger = new SshConnection({
      name: 'alpha',
      address: h.address,
      port: 22,
      user: 'root',
      privateKeyFile: bed.key,
      hostKeyChecking: true,
      knownHostsFile: empty,
    })
    await assert.rejects(stranger.exec('true'), (e: Error & { code?: string }) => e.code === 'E_HOSTKEY' && /not in/.test(e.message))
    await stranger.close()
    // beta's keys filed under alpha's address: a changed host key must be refused too
    const wrong = join(bed.dir, 'wrong_known_hosts')
    const betaKeys = readFileSync(bed.knownHostsFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`${bed.host('beta').address} `))
    writeFileSync(wrong, `${betaKeys.map((l) => l.replace(/^\S+/, h.address)).join('\n')}\n`)
    const spoofed = new SshConnection({
      name: 'alpha',
      address: h.address,
      port: 22,
      user: 'root',
      privateKeyFile: bed.key,
      hostKeyChecking: true,
      knownHostsFile: wrong,
    })
    await assert.rejects(spoofed.exec('true'), (e: Error & { code?: string }) => e.code === 'E_HOSTKEY' && /does NOT match/.test(e.message))
    await spoofed.close()
  })

  it('writes an INI inventory with user, groups and vars', () => {
    const text = readFileSync(bed.inventory({ user: 'deploy', groups: { database: ['alpha'] }, vars: { ansible_become: true } }), 'utf8')
    const a = bed.host('alpha')
    assert.match(
      text,
      new RegExp(
        `^alpha ansible_host=${a.address.replace(/\./g, '\\.')} ansible_user=deploy ansible_ssh_private_key_file=${bed.key} ` +
          `ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHostsFile}'$`,
        'm',
      ),
    )
    assert.match(text, /^\[database\]\nalpha$/m)
    assert.match(text, /^\[all:vars\]\nansible_become=true$/m)
  })

  it('serves a local directory to the hosts (bed.serve)', async () => {
    writeFileSync(join(served, 'pkg-1.0-py3-none-any.whl'), 'not really a wheel')
    const srv = await bed.serve(served)
    try {
      const url = srv.urlFor('beta')
      assert.equal(url, `http://${bed.host('beta').gateway}:${srv.port}/`)
      const r = await bed.exec(
        'beta',
        "python3 -c 'import sys, urllib.request as u; b = sys.argv[1]; print(u.urlopen(b).read().decode()); " +
          `print(u.urlopen(b + "pkg-1.0-py3-none-any.whl").read().decode())' ${url}`,
      )
      assert.equal(r.rc, 0, r.stderr)
      assert.match(r.stdout, /<a href="pkg-1\.0-py3-none-any\.whl">/) // an index pip --find-links can read
      assert.match(r.stdout, /not really a wheel/)
    } finally {
      await srv.close()
    }
  })

  it('cuts and restores a host network, stops sshd, and reboots with state kept', async () => {
    await bed.exec('beta', 'echo survives > /root/marker')
    await bed.cutNetwork('beta')
    const cut = await bed.exec('beta', 'true', { timeoutMs: 15_000 })
    assert.notEqual(cut.rc, 0, 'host must be unreachable with its link down')
    await bed.restoreNetwork('beta')
    assert.equal((await bed.exec('beta', 'true')).rc, 0)

    await bed.stopSshd('beta')
    const refused = await bed.exec('beta', 'true')
    assert.equal(refused.rc, 255)
    assert.match(refused.stderr, /refused/)

    const t0 = Date.now()
    await bed.reboot('beta')
    console.log(`testbed: rebooted a host in ${secs(Date.now() - t0)}`)
    const r = await bed.exec('beta', 'cat /root/marker; systemctl is-system-running')
    assert.equal(r.stdout, 'survives\nrunning\n', r.stderr)
  })

  it('leaves no process, mount, netns, link, cgroup, slot or temp dir after down()', async () => {
    const pids = bed.pids
    const slots = bed.hosts.map((h) => h.slot)
    assert.equal(pids.length, 2)
    assert.ok(pids.every(pidAlive))
    const t0 = Date.now()
    await bed.down()
    console.log(`testbed: down in ${secs(Date.now() - t0)}`)
    assertNothingLeft(bed, pids, slots)
  })
})

describe('testbed with four hosts', { skip: testbedSkip() }, () => {
  it('boots four hosts in parallel (target < 15 s)', async () => {
    const t0 = Date.now()
    const bed = await Testbed.up({ hosts: 4 })
    try {
      console.log(`testbed: booted 4 hosts in ${secs(Date.now() - t0)}`)
      assert.deepEqual(
        bed.hosts.map((h) => h.name),
        ['h1', 'h2', 'h3', 'h4'],
      )
      assert.equal(new Set(bed.hosts.map((h) => h.address)).size, 4)
      const states = await Promise.all(bed.hosts.map((h) => bed.exec(h.name, 'systemctl is-system-running')))
      assert.deepEqual(
        states.map((s) => s.stdout.trim()),
        ['running', 'running', 'running', 'running'],
      )
    } finally {
      const pids = bed.pids
      const slots = bed.hosts.map((h) => h.slot)
      await bed.down()
      assertNothingLeft(bed, pids, slots)
    }
  })
})
