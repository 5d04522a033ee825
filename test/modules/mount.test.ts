/**
 * mount on real hosts (tmpfs and bind mounts), side by side with ansible-playbook: fstab and the
 * mount table must end up the same, with the same changed counts; check mode on the fresh host
 * predicts the run; a mount removed or an entry edited by hand is found and repaired; ephemeral,
 * remounted and a failing mount (fstab restored, mount point removed) at the module level.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { mount } from '../../modules/mount.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a tmpfs, mounted
      ansible.posix.mount: { path: /srv/scratch/tmp, src: tmpfs, fstype: tmpfs, opts: "size=8m,mode=1777", state: mounted }
    - name: the directory to bind
      file: { path: /data/www, state: directory }
    - name: a bind mount
      mount: { path: /srv/www, src: /data/www, fstype: none, opts: bind, state: mounted }
    - name: an entry only, not mounted on boot
      mount: { path: /mnt/later, src: tmpfs, fstype: tmpfs, opts: size=1m, boot: false, state: present }
    - name: a stale mount goes, with its entry and mount point
      mount: { path: /mnt/stale, state: absent }
    - name: unmounted, the entry stays
      mount: { path: /mnt/keep, state: unmounted }
    - name: a swap file's entry (geerlingguy.swap's shape; its mount point is none)
      ansible.posix.mount: { name: none, src: /swapfile, fstype: swap, opts: sw, state: present }
    - name: another swap entry goes, found by its source
      mount: { name: none, src: /dev/zram9, fstype: swap, state: absent }
`
const SEED = `mkdir -p /mnt/stale /mnt/keep && printf 'tmpfs /mnt/stale tmpfs size=1m 0 0\\ntmpfs /mnt/keep tmpfs size=1m 0 0\\n/dev/zram9 none swap sw 0 0\\n' >> /etc/fstab && mount /mnt/stale && mount /mnt/keep`
const STATE = `cat /etc/fstab; echo ==; findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS | grep -E '^/(srv|mnt|data)' | sed 's|/hosts/mount-[ab]/|/hosts/H/|g' | sort; echo ==; ls -d /mnt/* /srv/*`

describe('mount on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['mount-a', 'mount-b'])
  const root = hostConnections(bed, 'mount-a')
  const sides = new SideBySide(bed, 'mount-a', 'mount-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('mount-a', script)).stdout
  before(async () => {
    for (const h of ['mount-a', 'mount-b']) assert.equal((await bed().exec(h, SEED)).rc, 0)
  })

  it('check mode on the fresh host predicts the run; both tools leave the same fstab and mounts', async () => {
    const a = await sides.firstRun(8)
    assert.equal(
      a.split('==\n')[0],
      '# UNCONFIGURED FSTAB FOR BASE SYSTEM\ntmpfs /mnt/keep tmpfs size=1m 0 0\ntmpfs /srv/scratch/tmp tmpfs size=8m,mode=1777 0 0\n' +
        '/data/www /srv/www none bind 0 0\ntmpfs /mnt/later tmpfs size=1m,noauto 0 0\n/swapfile none swap sw 0 0\n',
    )
    assert.match(a, /\/srv\/scratch\/tmp tmpfs tmpfs rw,relatime,size=8192k\n\/srv\/www \S+\[\/data\/www\]/)
    assert.doesNotMatch(a.split('==\n')[1]!, /\/mnt\/(keep|stale) /, 'both unmounted')
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: an unmounted tmpfs and a hand-edited entry are found in check mode; both tools repair them alike (mount, remount)', async () => {
    const check = await sides.drift(
      `umount /srv/scratch/tmp && sed -i 's|^/data/www /srv/www none bind 0 0|/data/www /srv/www none bind,ro 0 0|' /etc/fstab`,
      2,
    )
    assert.match(
      check.stdout,
      /mount \/srv\/scratch\/tmp\n[\s\S]*update the entry of \/srv\/www in \/etc\/fstab[\s\S]*remount \/srv\/www \(its entry changed\)/,
    )
  })

  it('ephemeral mounts without fstab and remounts from the same source; another source fails', async () => {
    const eph = { path: '/run/acplay-eph', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=2m', state: 'ephemeral' }
    const c = await checkRun(mount, eph, root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['make the mount point /run/acplay-eph', 'mount /run/acplay-eph'],
    )
    const fstab = await sh('cat /etc/fstab')
    assert.equal((await realRun(mount, eph, root())).status, 'changed')
    assert.match(await sh('findmnt -rn -o SOURCE,FSTYPE,OPTIONS /run/acplay-eph'), /^tmpfs tmpfs rw,relatime,size=2048k\n$/)
    assert.equal(await sh('cat /etc/fstab'), fstab, 'fstab untouched')
    const again = await realRun(mount, eph, root())
    assert.deepEqual(
      again.changes.map((x) => x.summary),
      ['remount /run/acplay-eph'],
    )
    const other = await realRun(mount, { ...eph, src: '/data/www', fstype: 'none', opts: 'bind' }, root())
    assert.equal(other.status, 'failed')
    assert.match(other.msg!, /already mounted with a different source/)
  })

  it('remounted always acts; a mount that fails leaves fstab as it was and removes the mount point it made', async () => {
    const r = await realRun(mount, { path: '/srv/scratch/tmp', state: 'remounted' }, root())
    assert.equal(r.status, 'changed', r.msg)
    const fstab = await sh('cat /etc/fstab')
    const bad = await realRun(mount, { path: '/mnt/new/deep', src: 'nowhere', fstype: 'nosuchfs', state: 'mounted', backup: true }, root())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /^Error mounting \/mnt\/new\/deep: mount: /)
    assert.equal(await sh('cat /etc/fstab'), fstab, 'fstab restored')
    assert.equal(await sh('ls -d /mnt/new 2>&1 | grep -c "No such"'), '1\n', 'the directories it made are gone')
  })
})
