/**
 * A `!vault` value in group_vars, used by a copy on a real host: check on the fresh host changes
 * nothing, apply writes the real value, a re-run is ok, and no output (plain with --diff, --json)
 * shows it, although the variable's name says nothing about secrets.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { vaultYaml } from '../../engine/cli/vault-command.js'
import { Vault } from '../../engine/vault/vault.js'
import { acplay, expectedRecap, recapLine } from '../helpers/cli.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const H = 'vault1'
const VALUE = 'Greeting-From-The-Vault-4711'
const PASSWORD = 'testbed vault password'

describe('a !vault group_vars value on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  let dir: string
  let inventory: string
  const run = (args: string[]) => acplay([...args, join(dir, 'site.yml'), '-i', inventory, '--vault-password-file', join(dir, 'pw')])
  const onHost = async (script: string) => (await bed().exec(H, script)).stdout

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-vault-bed-'))
    inventory = bed().inventory({ user: 'deploy' })
    writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`)
    const vault = new Vault([{ id: 'default', password: Buffer.from(PASSWORD), source: 'pw' }])
    mkdirSync(join(dir, 'group_vars'))
    writeFileSync(join(dir, 'group_vars', 'all.yml'), `${vaultYaml(vault.encrypt(VALUE), 'greeting')}\n`)
    writeFileSync(
      join(dir, 'site.yml'),
      `- hosts: all
  become: true
  tasks:
    - name: a file with the vaulted value
      copy:
        dest: /etc/greeting.conf
        content: "greeting={{ greeting }}\\n"
        mode: "0640"
`,
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('check (plain --diff, --json) changes nothing and shows no value; apply writes it; a re-run is ok', async () => {
    const check = await run(['check', '--diff'])
    assert.equal(check.code, 2, check.stdout + check.stderr)
    assert.match(check.stdout, /\+greeting=\*{8}$/m, 'the diff is shown, masked')
    const json = await run(['check', '--json'])
    assert.equal(json.code, 2, json.stderr)
    const doc = JSON.parse(json.stdout) as { recap: { host: string; changed: number }[]; results: unknown[] }
    assert.deepEqual(
      doc.recap.map((r) => [r.host, r.changed]),
      [[H, 1]],
    )
    assert.match(JSON.stringify(doc.results), /greeting=\*{8}/, 'the JSON diff holds the masked value')
    for (const out of [check.stdout + check.stderr, json.stdout + json.stderr]) assert.ok(!out.includes(VALUE), `no output shows the value:\n${out}`)
    assert.equal(await onHost('test -e /etc/greeting.conf && echo exists || echo absent'), 'absent\n', 'check mode does not touch the host')

    const apply = await run(['run', '--diff'])
    assert.equal(recapLine(apply.stdout, H), expectedRecap(H, { ok: 1, changed: 1 }), apply.stdout + apply.stderr)
    assert.ok(!apply.stdout.includes(VALUE) && !apply.stderr.includes(VALUE))
    assert.equal(await onHost('stat -c %a /etc/greeting.conf; cat /etc/greeting.conf'), `640\ngreeting=${VALUE}\n`)

    const again = await run(['run'])
    assert.equal(recapLine(again.stdout, H), expectedRecap(H, { ok: 1 }), again.stdout)
    assert.equal((await run(['check'])).code, 0)
  })
})
