/**
 * A user created without `group` while a group of its name already exists (a role's "create the
 * group, then the user in it"): Ansible's user module passes useradd `-N`, so the account's primary
 * group is useradd's default (`users` on Debian) and the named group only a supplementary one.
 * Both tools run the same play on one real host, each for its own name; the accounts must match.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { parseRecap } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const H = 'h1'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the group first
      group: { name: "{{ who }}", system: true }
    - name: then the user, no group given
      user: { name: "{{ who }}", groups: "{{ who }}", append: true, system: true, create_home: false, home: /, shell: /usr/sbin/nologin }
      register: made
    - debug: { msg: "{{ made | to_json }}" }
`

describe('a user whose name is an existing group, as ansible-playbook makes it', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const dir = mkdtempSync(join(tmpdir(), 'acplay-owngroup-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'play.yml'), PLAYBOOK)
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: join(dir, '.tmp') }
  const account = async (who: string) => {
    const r = await bed().exec(H, `id -gn ${who}; id -Gn ${who}; getent passwd ${who} | cut -d: -f4,6,7`)
    assert.equal(r.rc, 0, r.stderr)
    return r.stdout.replaceAll(who, 'WHO')
  }

  it('the same primary group (useradd -N), supplementary group and changed counts; check mode first', async () => {
    const inventory = bed().inventory({ hosts: [H] })
    const run = (tool: 'ansible' | 'acplay', who: string, ...extra: string[]) => {
      const argv = [join(dir, 'play.yml'), '-i', inventory, '-e', `who=${who}`, ...extra]
      return tool === 'ansible' ? capture(['ansible-playbook', ...argv], { cwd: dir, env }) : acplay(['run', ...argv], { cwd: dir, env })
    }
    const [checkTheirs, checkOurs] = await Promise.all([run('ansible', 'ogansible', '--check'), run('acplay', 'ogacplay', '--check')])
    assert.equal(parseRecap(checkOurs.stdout, H).changed, 2, checkOurs.stdout)
    assert.equal(checkTheirs.code, 0, checkTheirs.stdout)
    const [theirs, ours] = await Promise.all([run('ansible', 'ogansible'), run('acplay', 'ogacplay')])
    assert.equal(theirs.code, 0, `ansible-playbook failed:\n${theirs.stdout}${theirs.stderr}`)
    assert.equal(ours.code, 0, `acplay failed:\n${ours.stdout}${ours.stderr}`)
    assert.equal(parseRecap(ours.stdout, H).changed, parseRecap(theirs.stdout, H).changed)
    // the new account's registered result: the same keys, `group` its gid, `uid` the one it got
    const made = (stdout: string, who: string) => {
      const m = /"msg": (".*")\s*$/m.exec(stdout)
      assert.ok(m, stdout)
      const r = JSON.parse(JSON.stringify(JSON.parse(JSON.parse(m[1]!) as string)).replaceAll(who, 'WHO')) as Record<string, unknown>
      assert.equal(typeof r.uid, 'number', stdout)
      return { ...r, uid: 'a number' } as Record<string, unknown>
    }
    assert.deepEqual(made(ours.stdout, 'ogacplay'), made(theirs.stdout, 'ogansible'))
    assert.equal(made(ours.stdout, 'ogacplay').group, 100)
    const [a, b] = await Promise.all([account('ogansible'), account('ogacplay')])
    assert.equal(b, a)
    assert.equal(b, 'users\nusers WHO\n100:/:/usr/sbin/nologin\n')
    const again = await run('acplay', 'ogacplay')
    assert.equal(parseRecap(again.stdout, H).changed, 0, again.stdout)
  })
})
