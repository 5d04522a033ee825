/**
 * Facts on a real host: acplay's setup equals Ansible's setup on the same host (run live, one
 * right after the other), playbooks see the facts as Ansible's do, and smart gathering with the
 * jsonfile cache skips the gathering round trip (`--flush-cache` clears it first).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runModule } from '../../engine/module-runner.js'
import type { JsonDocument } from '../../engine/report/json.js'
import { setup } from '../../modules/setup.js'
import { ansibleSetup, prepareFactsHost } from '../compat/facts/live.js'
import { acplay } from '../helpers/cli.js'
import { compareFacts, NOT_PROVIDED } from '../helpers/facts-compare.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { testDir } from '../helpers/temp-dir.js'

type Doc = JsonDocument & { connections: { host: string; execs: number }[] }

/** facts that are the same on every host of the image: compared with the committed recording too */
const IMAGE_FACTS = [
  'ansible_distribution',
  'ansible_distribution_release',
  'ansible_distribution_version',
  'ansible_distribution_major_version',
  'ansible_distribution_minor_version',
  'ansible_distribution_file_path',
  'ansible_distribution_file_variety',
  'ansible_os_family',
  'ansible_pkg_mgr',
  'ansible_service_mgr',
  'ansible_python',
  'ansible_lsb',
  'ansible_selinux',
  'ansible_user_id',
  'ansible_user_dir',
  'ansible_virtualization_type',
  'ansible_virtualization_role',
  'ansible_local',
]

describe('setup and fact gathering on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['f1'])
  const dir = testDir('facts')
  let gateway = ''
  const play = async (name: string, text: string, ...extra: string[]): Promise<Doc> => {
    const file = join(dir, name)
    writeFileSync(file, text)
    const r = await acplay(['run', file, '-i', bed().inventory(), '--json', ...extra])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    return JSON.parse(r.stdout) as Doc
  }
  const outputs = (d: Doc) => d.results.filter((r) => r.task.name === 'debug').map((r) => r.output)

  it("equals Ansible's setup on the same host, fact by fact", async () => {
    ;({ gateway } = await prepareFactsHost(bed(), 'f1'))
    const ansible = await ansibleSetup(bed(), 'f1')
    const out = await runModule(setup, {}, { conn: bed().connection('f1'), check: false, diff: false })
    assert.equal(out.status, 'ok', out.msg)
    const ours = out.data.ansible_facts as Record<string, unknown>
    const r = compareFacts(ours, ansible)
    assert.deepEqual(r.problems, [])
    assert.deepEqual(r.missing, NOT_PROVIDED)
    assert.deepEqual(r.extra, [])
    assert.ok(r.byValue.length > 90, `${r.byValue.length} facts compared by value`)
    const recording = JSON.parse(readFileSync(new URL('../../../test/compat/facts/ansible-setup.json', import.meta.url), 'utf8')) as Record<string, unknown>
    for (const k of IMAGE_FACTS) assert.deepEqual(ours[k], recording[k], `${k} differs from the recording`)
    assert.deepEqual(ours.ansible_default_ipv4, { address: bed().host('f1').address, gateway, interface: 'host0' })
  })

  it('a play gathers first (ok=1), and its tasks see ansible_* and ansible_facts', async () => {
    const d = await play(
      'gather.yml',
      `- hosts: all
  tasks:
    - debug: {msg: "{{ ansible_os_family }} {{ ansible_distribution_major_version }} {{ ansible_facts['distribution'] }} {{ ansible_default_ipv4.address }}"}
    - debug: {msg: "{{ ansible_local.static.general.owner }} {{ ansible_local.dynamic.role }} {{ ansible_facts.ansible_local.static.paths.home }}"}
`,
    )
    assert.deepEqual(
      d.results.map((r) => [r.task.name, r.status]),
      [
        ['Gathering Facts', 'ok'],
        ['debug', 'ok'],
        ['debug', 'ok'],
      ],
    )
    assert.deepEqual(outputs(d), [`Debian 12 Debian ${bed().host('f1').address}`, 'ops db /srv/app'])
    assert.deepEqual(
      d.recap.map((r) => [r.host, r.ok]),
      [['f1', 3]],
    )
    assert.equal(d.connections[0]!.execs, 1, 'the gathering is one round trip')
    const check = await play('gather.yml', readFileSync(join(dir, 'gather.yml'), 'utf8'), '--check')
    assert.equal(check.results[0]!.task.name, 'Gathering Facts', 'check mode gathers too')
    assert.deepEqual(outputs(check), outputs(d))
  })

  it('gather_facts: false leaves the facts undefined; setup with gather_subset and filter feeds them', async () => {
    const d = await play(
      'nofacts.yml',
      `- hosts: all
  gather_facts: false
  tasks:
    - debug: {msg: "{{ ansible_os_family is defined }} {{ ansible_facts }}"}
    - setup: {gather_subset: ['!all', network]}
      register: net
    - debug: {msg: "{{ net.ansible_facts.ansible_default_ipv4.address }} {{ ansible_default_ipv4.address }} {{ ansible_memtotal_mb is defined }} {{ ansible_os_family }}"}
    - setup: {filter: ['ansible_*_mb']}
      register: mem
    - debug: {msg: "{{ mem.ansible_facts.keys() | sort | join(',') }} {{ ansible_memtotal_mb > 0 }}"}
`,
    )
    const address = bed().host('f1').address
    assert.deepEqual(outputs(d), [
      'False {}',
      `${address} ${address} False Debian`,
      'ansible_memfree_mb,ansible_memory_mb,ansible_memtotal_mb,ansible_swapfree_mb,ansible_swaptotal_mb True',
    ])
    assert.ok(!d.results.some((r) => r.task.name === 'Gathering Facts'))
  })

  it('on a converged host the gathering shares its round trip with the first tasks: no extra round trip', async () => {
    const tasks = [1, 2, 3].map((n) => `    - file: {path: /srv/facts${n}, state: directory, mode: "0755"}\n`).join('')
    const text = (gather: boolean) => `- hosts: all\n  gather_facts: ${gather}\n  tasks:\n${tasks}`
    await play('converge.yml', text(false))
    const without = await play('converge.yml', text(false))
    const withFacts = await play('converge.yml', text(true))
    assert.deepEqual(
      withFacts.results.map((r) => r.status),
      ['ok', 'ok', 'ok', 'ok'],
    )
    assert.equal(withFacts.connections[0]!.execs, without.connections[0]!.execs, 'the same round trips with and without facts')
    // a play that starts with a role: the role's first tasks are read with the gathering too
    mkdirSync(join(dir, 'roles/dirs/tasks'), { recursive: true })
    writeFileSync(join(dir, 'roles/dirs/tasks/main.yml'), tasks.replace(/^ {4}/gm, ''))
    const roleText = (gather: boolean) => `- hosts: all\n  gather_facts: ${gather}\n  roles: [dirs]\n`
    const roleWithout = await play('role.yml', roleText(false))
    const roleWith = await play('role.yml', roleText(true))
    assert.equal(roleWith.results.length, 4)
    assert.equal(roleWith.connections[0]!.execs, roleWithout.connections[0]!.execs, 'the same round trips with and without facts')
  })

  it('smart gathering with the jsonfile cache: gathered once per host, the next run reads the cache', async () => {
    const cacheDir = join(dir, 'cache')
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\ngathering = smart\nfact_caching = jsonfile\nfact_caching_connection = ${cacheDir}\n`)
    const text = `- hosts: all
  tasks:
    - debug: {msg: "{{ ansible_distribution }} {{ ansible_local.dynamic.role }}"}
- hosts: all
  tasks:
    - debug: {msg: "{{ ansible_os_family }}"}
`
    const first = await play('smart.yml', text)
    assert.deepEqual(
      first.results.map((r) => r.task.name),
      ['Gathering Facts', 'debug', 'debug'],
      'the second play does not gather again',
    )
    assert.equal(first.connections[0]!.execs, 1)
    assert.ok(existsSync(join(cacheDir, 'f1')))
    assert.equal(JSON.parse(readFileSync(join(cacheDir, 'f1'), 'utf8')).ansible_os_family, 'Debian')
    const second = await play('smart.yml', text)
    assert.deepEqual(
      second.results.map((r) => r.task.name),
      ['debug', 'debug'],
    )
    assert.deepEqual(outputs(second), ['Debian db', 'Debian'])
    assert.equal(second.connections.find((c) => c.host === 'f1')?.execs ?? 0, 0, 'no round trip: the facts came from the cache')
    // --flush-cache: the cache is cleared first, so the first play gathers again (and writes it anew)
    writeFileSync(join(cacheDir, 'not-in-inventory'), '{}')
    const flushed = await play('smart.yml', text, '--flush-cache')
    assert.deepEqual(
      flushed.results.map((r) => r.task.name),
      ['Gathering Facts', 'debug', 'debug'],
    )
    assert.ok(existsSync(join(cacheDir, 'f1')))
    assert.ok(existsSync(join(cacheDir, 'not-in-inventory')), "another host's cache is not the inventory's to clear")
  })
})
