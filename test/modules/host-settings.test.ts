/**
 * hostname, timezone and locale_gen on real hosts (systemd's hostnamectl and timedatectl, Debian's
 * locale.gen + locale-gen), side by side with ansible-playbook: the same names, zone, RTC mode,
 * locale.gen and generated locales, with the same changed counts; check mode on the fresh host
 * predicts the run; hand changes are found and repaired.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { hostname } from '../../modules/hostname.js'
import { localeGen } from '../../modules/locale_gen.js'
import { timezone } from '../../modules/timezone.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the host's name
      ansible.builtin.hostname: { name: web01.example.test }
    - name: the time zone
      community.general.timezone: { name: Europe/Paris }
    - name: the hardware clock keeps local time
      timezone: { hwclock: local }
    - name: a locale
      community.general.locale_gen: { name: de_CH.UTF-8 }
    - name: a locale that goes
      locale_gen: { name: fr_FR.UTF-8, state: absent }
`
const SEED = `sed -i 's/^# fr_FR.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' /etc/locale.gen && locale-gen >/dev/null`
const STATE = `hostname; cat /etc/hostname; hostnamectl --pretty; timedatectl show -p Timezone -p LocalRTC; readlink /etc/localtime
grep -v '^# ' /etc/locale.gen | grep .; locale -a; md5sum /etc/locale.gen`

describe('hostname, timezone and locale_gen on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['host-a', 'host-b'])
  const root = hostConnections(bed, 'host-a')
  const sides = new SideBySide(bed, 'host-a', 'host-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('host-a', script)).stdout
  before(async () => {
    await Promise.all(['host-a', 'host-b'].map(async (h) => assert.equal((await bed().exec(h, SEED)).rc, 0)))
  })

  it('check mode on the fresh host predicts the run; both tools leave the same names, zone and locales', async () => {
    assert.match(
      await sides.firstRun(5),
      /^web01.example.test\nweb01.example.test\nweb01.example.test\nTimezone=Europe\/Paris\nLocalRTC=yes\n\.\.\/usr\/share\/zoneinfo\/Europe\/Paris\nde_CH.UTF-8 UTF-8\nC\nC.utf8\nPOSIX\nde_CH.utf8\n/,
    )
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a running hostname and a time zone changed by hand are found in check mode; both tools repair them alike', async () => {
    const check = await sides.drift('hostname other && timedatectl set-timezone Asia/Tokyo', 2)
    assert.match(check.stdout, /-hostname = other\n\s*\+hostname = web01.example.test/)
  })

  it('registered values as Ansible returns them', async () => {
    const h = await checkRun(hostname, { name: 'web01.example.test' }, root())
    assert.deepEqual(h.data, {
      name: 'web01.example.test',
      ansible_facts: { ansible_hostname: 'web01', ansible_nodename: 'web01.example.test', ansible_fqdn: 'web01.example.test', ansible_domain: 'example.test' },
    })
    const t = await realRun(timezone, { name: 'UTC', hwclock: 'UTC' }, root())
    assert.deepEqual(t.data, {
      diff: { before: { hwclock: 'local', name: 'Europe/Paris' }, after: { hwclock: 'UTC', name: 'UTC' } },
      msg: 'executed `/usr/bin/timedatectl set-local-rtc no`\nexecuted `/usr/bin/timedatectl set-timezone UTC`',
    })
    assert.equal(await sh('timedatectl show -p Timezone --value'), 'UTC\n')
    const l = await checkRun(localeGen, { name: 'de_CH.UTF-8' }, root())
    assert.deepEqual([l.status, l.data], ['ok', { name: 'de_CH.UTF-8', msg: 'OK' }])
  })

  it('unknown zones, locales and strategies fail with clear messages before anything changes', async () => {
    const fail = async (r: Promise<{ status: string; msg?: string }>, msg: RegExp) => {
      const o = await r
      assert.equal(o.status, 'failed')
      assert.match(o.msg!, msg)
    }
    await fail(realRun(timezone, { name: 'Nowhere/City' }, root()), /given timezone "Nowhere\/City" is not available/)
    await fail(realRun(timezone, { name: '../../etc/passwd' }, root()), /is not available/)
    await fail(realRun(localeGen, { name: 'xx_YY.UTF-8' }, root()), /The locale you've entered is not available on your system/)
    await fail(realRun(hostname, { name: 'x', use: 'redhat' }, root()), /use=redhat is not supported/)
    await fail(realRun(hostname, { name: 'a'.repeat(65) }, root()), /cannot be longer than 64 characters/)
  })
})
