/**
 * become_method: su against Debian's ansible-playbook (its su become plugin), each tool on its own
 * sibling host prepared the same way (a root password, a normal user alice): logged in as root, su
 * to alice (files owned by alice, `id -un` alice) and to nobody, whose nologin shell runs nothing
 * (both fail the task); logged in as deploy, su to root with root's password (ansible_become_password),
 * which never shows in the host's process list nor in acplay's output; a wrong password fails the
 * task, quickly, in both tools. Recaps, what `id -un` said and the files' owners are compared.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { shellJoin } from '../../engine/connection/quote.js'
import { acplay, capture } from '../helpers/cli.js'
import { parseRecap } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const THEIRS = 'bsu1'
const OURS = 'bsu2'
const ROOT_PW = 'r00t pw;$HOME"x'

const AS_ROOT = `- hosts: all
  gather_facts: false
  become: true
  become_method: su
  tasks:
    - command: id -un
      become_user: alice
      register: me
      changed_when: false
    - copy: { dest: /tmp/su-alice, content: "{{ me.stdout }}\\n" }
      become_user: alice
    - file: { path: /tmp/su-alice.d, state: directory }
      become_user: alice
    - name: a nologin system user runs nothing
      command: id -un
      become_user: nobody
      ignore_errors: true
    - copy: { dest: /tmp/su-nobody, content: "x\\n" }
      become_user: nobody
      ignore_errors: true
    - name: to the login user, su is skipped
      command: id -un
      become_user: root
      register: same
      changed_when: false
    - copy: { dest: /tmp/su-same, content: "{{ same.stdout }}\\n" }
      become: false
`

const AS_DEPLOY = `- hosts: all
  gather_facts: false
  become: true
  become_method: su
  tasks:
    - command: id -un
      register: me
      changed_when: false
    - copy: { dest: /root/su-by-deploy, content: "{{ me.stdout }}\\n" }
    - name: the processes while su runs
      shell: ps -eo args
      register: ps
      changed_when: false
    - copy: { dest: /root/su-ps-clean, content: "{{ 'r00t' not in ps.stdout }}\\n" }
    - name: a large file, streamed on its own channel through su
      copy: { src: big.bin, dest: /root/su-big.bin }
    - name: past its timeout a command is stopped as root, through su again
      command: sleep 37
      timeout: 2
      ignore_errors: true
    - shell: "pgrep -x -f 'sleep 37' || echo none"
      register: left
      changed_when: false
    - copy: { dest: /root/su-left, content: "{{ left.stdout }}\\n" }
`

describe('become_method su as in ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed([THEIRS, OURS])
  const dir = mkdtempSync(join(tmpdir(), 'acplay-su-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'as-root.yml'), AS_ROOT)
  writeFileSync(join(dir, 'as-deploy.yml'), AS_DEPLOY)
  writeFileSync(join(dir, 'big.bin'), randomBytes(2_500_000))
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: join(dir, '.tmp') }

  before(async () => {
    for (const h of [THEIRS, OURS]) {
      const r = await bed().exec(h, `printf '%s\\n' ${shellJoin([`root:${ROOT_PW}`])} | chpasswd && useradd -m -s /bin/bash alice`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  /** Both tools at once, each on its host, with the same inventory options. */
  const both = async (playbook: string, user: string, vars: Record<string, string> = {}) => {
    const run = (tool: 'ansible' | 'acplay', host: string) => {
      const argv = [join(dir, playbook), '-i', bed().inventory({ hosts: [host], user, vars })]
      return tool === 'ansible' ? capture(['ansible-playbook', ...argv], { cwd: dir, env }) : acplay(['run', ...argv], { cwd: dir, env })
    }
    const started = Date.now()
    const [theirs, ours] = await Promise.all([run('ansible', THEIRS), run('acplay', OURS).then((r) => ({ ...r, seconds: (Date.now() - started) / 1000 }))])
    assert.deepEqual(parseRecap(ours.stdout, OURS), parseRecap(theirs.stdout, THEIRS), `${ours.stdout}\n${theirs.stdout}`)
    assert.equal(ours.code, theirs.code, `${ours.stdout}${ours.stderr}\n${theirs.stdout}`)
    return { ours, theirs }
  }
  const state = async (host: string, script: string) => (await bed().exec(host, script)).stdout

  it('logged in as root: su to alice with no password; nologin fails the task; same user skipped', async () => {
    const { ours } = await both('as-root.yml', 'root')
    assert.deepEqual(parseRecap(ours.stdout, OURS), { ok: 7, changed: 3, unreachable: 0, failed: 0, skipped: 0 })
    assert.match(ours.stdout, /ignored=2/)
    assert.match(ours.stdout, new RegExp(`su to nobody on ${OURS}: the user's login shell runs no commands`))
    const probe = 'cat /tmp/su-alice /tmp/su-same; stat -c "%n %U:%G" /tmp/su-alice /tmp/su-alice.d; test -e /tmp/su-nobody || echo no-nobody-file'
    const [theirState, ourState] = await Promise.all([state(THEIRS, probe), state(OURS, probe)])
    assert.equal(ourState, theirState)
    assert.equal(ourState, 'alice\nroot\n/tmp/su-alice alice:alice\n/tmp/su-alice.d alice:alice\nno-nobody-file\n')
  })

  it('logged in as deploy: su to root with its password, never shown; a wrong one refused quickly', async () => {
    const { ours } = await both('as-deploy.yml', 'deploy', { ansible_become_password: ROOT_PW })
    assert.deepEqual(parseRecap(ours.stdout, OURS), { ok: 8, changed: 4, unreachable: 0, failed: 0, skipped: 0 })
    assert.match(ours.stdout, /ignored=1/)
    assert.ok(!(ours.stdout + ours.stderr).includes('r00t'), ours.stdout)
    const probe = 'stat -c "%U" /root/su-by-deploy /root/su-big.bin; cat /root/su-by-deploy /root/su-ps-clean; md5sum < /root/su-big.bin'
    const [theirState, ourState] = await Promise.all([state(THEIRS, probe), state(OURS, probe)])
    assert.equal(ourState, theirState)
    assert.match(ourState, /^root\nroot\nroot\nTrue[0-9a-f]{32} {2}-\n$/)
    // acplay stopped the command as root through su (checked on its host only: what Ansible leaves there is not compared)
    assert.equal(await state(OURS, 'cat /root/su-left'), 'none\n')

    const bad = await both('as-deploy.yml', 'deploy', { ansible_become_password: 'not-the-password' })
    assert.deepEqual(parseRecap(bad.ours.stdout, OURS), { ok: 0, changed: 0, unreachable: 0, failed: 1, skipped: 0 })
    assert.match(bad.theirs.stdout, /Incorrect su password/)
    assert.match(bad.ours.stdout, new RegExp(`E_BECOME: su on ${OURS} refused the become password for user root`))
    assert.ok(!bad.ours.stdout.includes('not-the-password'))
    assert.ok(bad.ours.seconds < 30, `took ${bad.ours.seconds} s`)
  })
})
