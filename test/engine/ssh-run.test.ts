/** The ssh connection in a real run: one connection per host, become through sudo -n, host keys checked. */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { testDir } from '../helpers/temp-dir.js'

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - ping:
    - file: {path: /srv/acplay, state: directory, mode: "0755"}
    - copy: {dest: /srv/acplay/hello, content: "hello {{ inventory_hostname }}\\n"}
    - command: cat /srv/acplay/hello
      register: out
      changed_when: false
    - assert: {that: "out.stdout == 'hello ' ~ inventory_hostname"}
`

describe('ssh connections in a run', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['s1', 's2'])
  const dir = testDir('ssh')
  const playbook = join(dir, 'play.yml')
  writeFileSync(playbook, PLAY)

  it('opens exactly one connection per host for the whole run, and a no-op task costs one round trip', async () => {
    const inventory = bed().inventory({ user: 'deploy' })
    const first = await acplay(['run', playbook, '-i', inventory, '-b', '--json'])
    const doc = JSON.parse(first.stdout) as JsonDocument & { connections: { host: string; connects: number; execs: number }[] }
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.deepEqual(
      doc.connections.map((c) => [c.host, c.connects]),
      [
        ['s1', 1],
        ['s2', 1],
      ],
    )
    const again = JSON.parse((await acplay(['run', playbook, '-i', inventory, '-b', '--json'])).stdout) as typeof doc
    assert.deepEqual(
      again.recap.map((r) => [r.host, r.changed]),
      [
        ['s1', 0],
        ['s2', 0],
      ],
    )
    // 4 host tasks (assert runs on the controller): one round trip each when nothing changes
    for (const c of again.connections) assert.equal(c.execs, 4, `${c.host}: ${c.execs} round trips`)
    assert.equal((await bed().exec('s1', 'stat -c %U:%a /srv/acplay/hello')).stdout.trim(), 'root:644')
  })

  it('refuses an unknown host key by default, and a changed one', async () => {
    const inventory = bed().inventory()
    const empty = join(dir, 'empty_known_hosts')
    writeFileSync(empty, '')
    writeFileSync(join(dir, 'unknown.ini'), readFileSync(inventory, 'utf8').replaceAll(bed().knownHostsFile, empty))
    const r = await acplay(['run', playbook, '-i', join(dir, 'unknown.ini')])
    assert.equal(r.code, 4)
    assert.match(r.stdout, /E_HOSTKEY: host key for 10\.231\.\d+\.11:22 is not in/)
    const swapped = join(dir, 'swapped_known_hosts')
    const [a, b] = bed().hosts
    const lines = readFileSync(bed().knownHostsFile, 'utf8').split('\n')
    writeFileSync(
      swapped,
      `${lines
        .filter((l) => l.startsWith(b!.address))
        .map((l) => l.replace(b!.address, a!.address))
        .join('\n')}\n`,
    )
    writeFileSync(join(dir, 'swapped.ini'), readFileSync(inventory, 'utf8').replaceAll(bed().knownHostsFile, swapped))
    const m = await acplay(['run', playbook, '-i', join(dir, 'swapped.ini'), '--limit', a!.name])
    assert.equal(m.code, 4)
    assert.match(m.stdout, /does NOT match/)
  })

  it('says clearly when sudo wants a password', async () => {
    await bed().exec(
      's1',
      [
        'useradd -m -s /bin/bash limited',
        'install -d -o limited -m 700 ~limited/.ssh',
        'install -o limited -m 600 /home/deploy/.ssh/authorized_keys ~limited/.ssh/',
        "echo 'limited ALL=(ALL) ALL' > /etc/sudoers.d/limited",
      ].join(' && '),
    )
    const inventory = bed().inventory({ user: 'limited', hosts: ['s1'] })
    const r = await acplay(['run', playbook, '-i', inventory, '-b'])
    assert.equal(r.code, 2, r.stdout)
    assert.match(r.stdout, /E_BECOME: sudo on s1 wants a password/)
  })
})
