import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../../engine/effects.js'
import { runModule } from '../../../engine/module-runner.js'
import { debconf } from '../../../modules/debconf.js'
import { debconfSelections } from '../../../modules/facts/debconf.js'
import { installedPackages, installedSources, sourceOrigins } from '../../../modules/facts/packages.js'
import { parseServices } from '../../../modules/facts/services.js'
import { getentFacts } from '../../../modules/getent.js'
import { fakeConn } from './fake-ctx.js'

describe('read-only fact modules: parsers', () => {
  it('getent results as Ansible builds them: split, whitespace, a key seen twice', () => {
    assert.deepEqual(getentFacts(['root:x:0:0:root:/root:/bin/bash'], ':'), { root: ['x', '0', '0', 'root', '/root', '/bin/bash'] })
    assert.deepEqual(getentFacts(['10.0.0.1  a  b', '10.0.0.1 c', '10.0.0.1 d'], undefined), { '10.0.0.1': [['a', 'b'], ['c'], ['d']] })
  })
  it('service_facts: SysV scripts, units (bad states drop the dot), unit files and the ActiveState of unloaded ones', () => {
    const out = `@@sysv
 [ + ]  cron
 [ - ]  nginx
@@units
  UNIT            LOAD      ACTIVE   SUB     DESCRIPTION
  cron.service    loaded    active   running Regular background program processing daemon
● gone.service    not-found inactive dead    gone.service
@@files
UNIT FILE          STATE    PRESET
cron.service       enabled  enabled
gone.service       masked   enabled
nginx.service      disabled enabled
getty@.service     enabled  enabled
@@show
nginx.service 0 ActiveState=inactive
getty@.service 1
`
    assert.deepEqual(parseServices(out), {
      cron: { name: 'cron', state: 'running', source: 'sysv' },
      nginx: { name: 'nginx', state: 'stopped', source: 'sysv' },
      'cron.service': { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' },
      'gone.service': { name: 'gone.service', state: 'stopped', status: 'not-found', source: 'systemd' },
      'nginx.service': { name: 'nginx.service', state: 'inactive', status: 'disabled', source: 'systemd' },
      'getty@.service': { name: 'getty@.service', state: 'unknown', status: 'enabled', source: 'systemd' },
    })
  })
  it("package_facts: the origin is the Release's o= of the installed version's first source", () => {
    const global =
      ' 100 /var/lib/dpkg/status\n     release a=now\n 500 http://deb.debian.org/debian bookworm/main amd64 Packages\n     release v=12,o=Debian,a=stable\n     origin deb.debian.org\n'
    assert.deepEqual(
      [...sourceOrigins(global)],
      [
        ['/var/lib/dpkg/status', ''],
        ['http://deb.debian.org/debian bookworm/main amd64 Packages', 'Debian'],
      ],
    )
    const per =
      'acl:\n  Installed: 1\n  Version table:\n *** 1 500\n        500 http://deb.debian.org/debian bookworm/main amd64 Packages\n        100 /var/lib/dpkg/status\nx:\n  Version table:\n *** 2 100\n        100 /var/lib/dpkg/status\n'
    assert.deepEqual(
      [...installedSources(per)],
      [
        ['acl', 'http://deb.debian.org/debian bookworm/main amd64 Packages'],
        ['x', '/var/lib/dpkg/status'],
      ],
    )
    const stdout = `apt amd64\nacl\tamd64\t1\tutils\tii \nlibc6\ti386\t2\tlibs\tii \nold\tamd64\t3\tmisc\trc \n@@sources\n${global}@@policy\n${per}`
    assert.deepEqual(installedPackages.parse({ rc: 0, stdout, stderr: '' }), {
      acl: [{ name: 'acl', version: '1', arch: 'amd64', category: 'utils', origin: 'Debian', source: 'apt' }],
      'libc6:i386': [{ name: 'libc6:i386', version: '2', arch: 'i386', category: 'libs', origin: '', source: 'apt' }],
    })
  })
  it('debconf: debconf-show lines; booleans compare case-insensitively, multiselect as a set', async () => {
    const show = '* tzdata/Areas: Etc\n  openssh-server/permit-root-login: true\n  locales/locales_to_be_generated: en_US.UTF-8 UTF-8, de_CH.UTF-8 UTF-8\n'
    assert.deepEqual(debconfSelections.parse({ rc: 0, stdout: show, stderr: '' }, 'x'), {
      'tzdata/Areas': 'Etc',
      'openssh-server/permit-root-login': 'true',
      'locales/locales_to_be_generated': 'en_US.UTF-8 UTF-8, de_CH.UTF-8 UTF-8',
    })
    const plan = (args: Record<string, unknown>) =>
      runModule(debconf, { name: 'p', ...args }, { conn: fakeConn(show), check: true, diff: false, effects: new EffectStore() })
    assert.equal((await plan({ question: 'openssh-server/permit-root-login', vtype: 'boolean', value: 'True' })).status, 'ok')
    assert.equal(
      (await plan({ question: 'locales/locales_to_be_generated', vtype: 'multiselect', value: 'de_CH.UTF-8 UTF-8, en_US.UTF-8 UTF-8' })).status,
      'ok',
    )
    const r = await plan({ question: 'tzdata/Areas', vtype: 'select', value: 'Europe' })
    assert.deepEqual(r.data, { msg: '', current: { 'tzdata/Areas': 'Europe' }, previous: { 'tzdata/Areas': 'Etc' } })
  })
})
