/** The ssh connection in a real run: one connection per host, become through sudo -n, host keys checked, password logins. */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { quote } from '../../engine/connection/quote.js'
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

  it('logs in with a password (ansible_password, then --connection-password-file), refuses a wrong one clearly, and shows it nowhere', async () => {
    const password = 'S3cret pw$(id)!'
    await bed().exec('s2', `useradd -m -s /bin/bash pwuser && printf '%s\\n' ${quote(`pwuser:${password}`)} | chpasswd`)
    const s2 = bed().host('s2')
    const common = `ansible_host=${s2.address} ansible_user=pwuser ansible_ssh_common_args='-o UserKnownHostsFile=${bed().knownHostsFile}'`
    const who = join(dir, 'who.yml')
    writeFileSync(
      who,
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id -un\n      register: me\n    - debug: {msg: "{{ me.stdout }} {{ ansible_password | default(\'none\') }}"}\n',
    )
    const run = async (inventory: string, ...extra: string[]) => {
      const file = join(dir, `pw-${Math.random().toString(36).slice(2)}.ini`)
      writeFileSync(file, inventory)
      return acplay(['run', who, '-i', file, ...extra])
    }
    const byVar = await run(`s2 ${common} ansible_password='${password}'\n`)
    assert.equal(byVar.code, 0, byVar.stdout + byVar.stderr)
    assert.match(byVar.stdout, /"msg": "pwuser \*{8}"/)
    const file = join(dir, 'conn-pass')
    writeFileSync(file, `${password}\n`)
    const byFile = await run(`s2 ${common}\n`, '--connection-password-file', file, '-v')
    assert.equal(byFile.code, 0, byFile.stdout + byFile.stderr)
    assert.match(byFile.stdout, /"msg": "pwuser none"/)
    const wrong = await run(`s2 ${common} ansible_password='not it'\n`)
    assert.equal(wrong.code, 4, wrong.stdout)
    assert.match(wrong.stdout, /UNREACHABLE.*cannot connect to pwuser@/)
    for (const r of [byVar, byFile, wrong]) assert.ok(!(r.stdout + r.stderr).includes(password), 'the password is shown')
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

  it('becomes with a password (ansible_become_password, --become-password-file): the shell, a streamed upload, a wrong one refused; shown nowhere', async () => {
    const password = "Bec0me pw $(touch /tmp/pwned) 'x"
    await bed().exec('s1', `id limited >/dev/null 2>&1 || useradd -m -s /bin/bash limited; printf '%s\\n' ${quote(`limited:${password}`)} | chpasswd`)
    await bed().exec('s1', "echo 'limited ALL=(ALL) ALL' > /etc/sudoers.d/limited")
    await bed().exec('s1', 'install -d -o limited -m 700 ~limited/.ssh && install -o limited -m 600 /home/deploy/.ssh/authorized_keys ~limited/.ssh/')
    const big = join(dir, 'big.bin')
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 7))
    const play = join(dir, 'become-pw.yml')
    writeFileSync(
      play,
      `- hosts: all\n  gather_facts: false\n  become: true\n  tasks:\n    - command: id -un\n      register: me\n    - copy: {src: ${big}, dest: /root/big.bin}\n    - debug: {msg: "{{ me.stdout }}"}\n`,
    )
    const base = readFileSync(bed().inventory({ user: 'limited', hosts: ['s1'] }), 'utf8').trim()
    const inv = (extra: string) => {
      const file = join(dir, `become-${Math.random().toString(36).slice(2)}.ini`)
      writeFileSync(file, `${base} ${extra}\n`)
      return file
    }
    const byVar = await acplay(['run', play, '-i', inv(`ansible_become_password=${quote(password)}`)])
    assert.equal(byVar.code, 0, byVar.stdout + byVar.stderr)
    assert.match(byVar.stdout, /"msg": "root"/)
    assert.equal((await bed().exec('s1', 'stat -c %s /root/big.bin')).stdout.trim(), String(2 * 1024 * 1024))
    const file = join(dir, 'become-pass')
    writeFileSync(file, `${password}\n`)
    const byFile = await acplay(['run', play, '-i', inv(''), '--become-password-file', file])
    assert.equal(byFile.code, 0, byFile.stdout + byFile.stderr)
    const wrong = await acplay(['run', play, '-i', inv("ansible_become_password='not it'")])
    assert.equal(wrong.code, 2, wrong.stdout)
    assert.match(wrong.stdout, /E_BECOME: sudo on s1 refused the become password for user root/)
    // passwordless sudo with a password given: it is read and never run as a command
    const nopasswd = readFileSync(bed().inventory({ user: 'deploy', hosts: ['s1'] }), 'utf8').trim()
    writeFileSync(join(dir, 'nopasswd.ini'), `${nopasswd} ansible_become_password=${quote(password)}\n`)
    const unneeded = await acplay(['run', play, '-i', join(dir, 'nopasswd.ini')])
    assert.equal(unneeded.code, 0, unneeded.stdout + unneeded.stderr)
    assert.equal((await bed().exec('s1', 'ls /tmp/pwned 2>/dev/null || true')).stdout, '')
    for (const r of [byVar, byFile, wrong, unneeded]) assert.ok(!(r.stdout + r.stderr).includes(password), 'the password is shown')
  })
})
