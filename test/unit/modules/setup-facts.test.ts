/**
 * The facts parsers against a recording from one testbed host (test/compat/facts/record.ts):
 * acplay's facts from its probe's output equal Ansible's setup output from the same host.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { factsFromRaw, fnmatch, selectCollectors, setupFacts } from '../../../modules/facts/setup/index.js'
import { parseIni } from '../../../modules/facts/setup/local.js'
import { parseDistroReleaseLine, parseOsRelease } from '../../../modules/facts/setup/distro.js'
import { splitIpAddr } from '../../../modules/facts/setup/network.js'
import type { Raw } from '../../../modules/facts/setup/raw.js'
import { shlexNonPosix } from '../../../modules/facts/setup/system.js'
import { SETUP_ARGS } from '../../compat/facts/live.js'
import { compareFacts, NOT_PROVIDED } from '../../helpers/facts-compare.js'

const DIR = fileURLToPath(new URL('../../../../test/compat/facts/', import.meta.url))
const recorded = <T>(name: string) => JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as T

describe('setup facts from the recorded probe output', () => {
  const raw = recorded<Raw>('probe-raw.json')
  const ansible = recorded<Record<string, unknown>>('ansible-setup.json')
  const ours = factsFromRaw(raw, SETUP_ARGS)

  it("equal Ansible's on the same host, fact by fact (the volatile ones by shape)", () => {
    const r = compareFacts(ours, ansible)
    assert.deepEqual(r.problems, [])
    // discovered_interpreter_python comes with the setup module's result, not from the parsers
    assert.deepEqual(r.missing, [...NOT_PROVIDED, 'discovered_interpreter_python'].sort())
    assert.deepEqual(r.extra, [])
    assert.ok(r.byValue.length > 90, `${r.byValue.length} facts compared by value`)
  })

  it('the facts users use most, spelled out', () => {
    assert.equal(ours.ansible_os_family, 'Debian')
    assert.equal(ours.ansible_distribution, 'Debian')
    assert.equal(ours.ansible_distribution_major_version, '12')
    assert.equal(ours.ansible_distribution_release, 'bookworm')
    assert.equal(ours.ansible_pkg_mgr, 'apt')
    assert.equal(ours.ansible_service_mgr, 'systemd')
    assert.deepEqual(ours.ansible_selinux, { status: 'disabled' })
    assert.equal((ours.ansible_default_ipv4 as { interface: string }).interface, 'host0')
    assert.deepEqual(ours.ansible_local, {
      dynamic: { role: 'db', replicas: [1, 2] },
      static: { general: { owner: 'ops', port: '8080' }, paths: { home: '/srv/app', name: 'app' } },
    })
  })

  it('gather_subset and filter select as Ansible does', () => {
    const min = factsFromRaw(raw, { ...SETUP_ARGS, gatherSubset: ['min'] })
    assert.equal(min.ansible_os_family, 'Debian')
    assert.ok(!('ansible_interfaces' in min) && !('ansible_mounts' in min) && !('ansible_virtualization_type' in min))
    const net = factsFromRaw(raw, { ...SETUP_ARGS, gatherSubset: ['!all', 'network'] })
    assert.ok('ansible_interfaces' in net && 'ansible_default_ipv4' in net && 'ansible_distribution' in net)
    assert.ok(!('ansible_memtotal_mb' in net))
    const noHw = factsFromRaw(raw, { ...SETUP_ARGS, gatherSubset: ['all', '!hardware'] })
    assert.ok(!('ansible_mounts' in noHw) && 'ansible_interfaces' in noHw)
    const mem = factsFromRaw(raw, { ...SETUP_ARGS, filter: ['ansible_*_mb'] })
    assert.deepEqual(Object.keys(mem).sort(), ['ansible_memfree_mb', 'ansible_memory_mb', 'ansible_memtotal_mb', 'ansible_swapfree_mb', 'ansible_swaptotal_mb'])
    const short = factsFromRaw(raw, { ...SETUP_ARGS, filter: ['distribution*'] })
    assert.ok(Object.keys(short).length > 3 && Object.keys(short).every((k) => k.startsWith('ansible_distribution')))
    assert.throws(() => selectCollectors(['nope']), /Bad subset 'nope' given to Ansible/)
    // a collector brings the ones it needs, even when everything else is excluded
    assert.deepEqual(
      selectCollectors(['!all', '!min', 'hardware']).map((c) => c.name),
      ['platform', 'hardware'],
    )
    assert.deepEqual(
      selectCollectors(['!all']).map((c) => c.name),
      [
        'platform',
        'distribution',
        'lsb',
        'selinux',
        'apparmor',
        'fips',
        'python',
        'caps',
        'pkg_mgr',
        'service_mgr',
        'cmdline',
        'date_time',
        'env',
        'ssh_pub_keys',
        'user',
        'dns',
        'local',
      ],
    )
  })
})

describe('facts parsers', () => {
  it('a host without the interpreter: a message that says so', () => {
    assert.throws(
      () => setupFacts.parse({ rc: 127, stdout: '', stderr: 'sh: 1: /opt/py: not found\n' }, { ...SETUP_ARGS, python: '/opt/py' }),
      /fact gathering needs \/opt\/py on the host: sh: 1: \/opt\/py: not found/,
    )
  })

  it('INI local facts as configparser reads them', () => {
    assert.deepEqual(parseIni('[DEFAULT]\nbase = /srv\n[a]\nKey = %(base)s/x\nmulti = one\n  two\n'), { a: { base: '/srv', key: '/srv/x', multi: 'one\ntwo' } })
    assert.throws(() => parseIni('key = 1\n'), /no section headers/)
    assert.throws(() => parseIni('[a]\nk=1\nk=2\n'), /already exists/)
  })

  it('os-release and release files as the distro library reads them', () => {
    const ubuntu = parseOsRelease('NAME="Ubuntu"\nVERSION="22.04.3 LTS (Jammy Jellyfish)"\nID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy # comment\n')
    assert.deepEqual([ubuntu.id, ubuntu.version_id, ubuntu.codename], ['ubuntu', '22.04', 'jammy'])
    assert.deepEqual(parseOsRelease('VERSION="7 (Core)"\n').codename, 'Core')
    assert.deepEqual(parseDistroReleaseLine('CentOS Linux release 7.9.2009 (Core)\n'), { name: 'CentOS Linux', version_id: '7.9.2009', codename: 'Core' })
  })

  it("/proc/cmdline split as shlex's non-posix mode does", () => {
    assert.deepEqual(shlexNonPosix('ro quiet a="b c" "x y"z'), ['ro', 'quiet', 'a="b', 'c"', '"x y"', 'z'])
    assert.equal(shlexNonPosix('a "open'), undefined)
  })

  it('ip addr output split per device, veth peers named without @', () => {
    const blocks = splitIpAddr(
      '1: lo: <LOOPBACK> mtu 65536\n    inet 127.0.0.1/8 scope host lo\n2: host0@if7: <UP> mtu 1500\n    inet 10.0.0.2/24 brd 10.0.0.255 scope global host0\n',
    )
    assert.deepEqual([...blocks.keys()], ['lo', 'host0'])
    assert.match(blocks.get('host0')!, /inet 10\.0\.0\.2\/24/)
  })

  it('fnmatch as Python', () => {
    assert.ok(fnmatch('ansible_memtotal_mb', 'ansible_*_mb'))
    assert.ok(fnmatch('ansible_eth0', 'ansible_eth[0-9]'))
    assert.ok(!fnmatch('ansible_eth0', 'ansible_eth[!0-9]'))
    assert.ok(!fnmatch('ansible_mounts', 'ansible_mount'))
  })
})
