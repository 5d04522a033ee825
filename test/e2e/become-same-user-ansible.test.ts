/**
 * become to the login user (root to root) on a host without sudo, as robertdebock.bootstrap's play
 * does before it installs sudo: Ansible skips become when the become user is the login user
 * (unless become_allow_same_user), so those tasks run; a become to another user needs sudo and
 * fails. Both tools run the same play on one real host whose sudo is gone.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { parseRecap } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const H = 'bs1'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - command: id -un
      register: me
      changed_when: false
    - copy: { dest: "/root/{{ tool }}", content: "{{ me.stdout }}\\n" }
    - name: another user needs sudo
      command: id -un
      become_user: nobody
      ignore_errors: true
`

describe('become to the login user skips sudo, as in ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const dir = mkdtempSync(join(tmpdir(), 'acplay-samebecome-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'play.yml'), PLAYBOOK)
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: join(dir, '.tmp') }

  it('the same statuses and files with sudo gone; become_allow_same_user asks for sudo again', async () => {
    const gone = await bed().exec(H, 'mv /usr/bin/sudo /usr/bin/sudo.gone')
    assert.equal(gone.rc, 0, gone.stderr)
    const inventory = bed().inventory({ hosts: [H] })
    const run = (tool: 'ansible' | 'acplay', extra: string[] = [], more: Record<string, string> = {}) => {
      const argv = [join(dir, 'play.yml'), '-i', inventory, '-e', `tool=${tool}`, ...extra]
      const e = { ...env, ...more }
      return tool === 'ansible' ? capture(['ansible-playbook', ...argv], { cwd: dir, env: e }) : acplay(['run', ...argv], { cwd: dir, env: e })
    }
    const [theirs, ours] = await Promise.all([run('ansible'), run('acplay')])
    assert.equal(theirs.code, 0, theirs.stdout)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.deepEqual(parseRecap(ours.stdout, H), parseRecap(theirs.stdout, H), `${ours.stdout}\n${theirs.stdout}`)
    // the last task failed (ignored): sudo to nobody is not there
    assert.match(ours.stdout, /ignored=1/)
    assert.deepEqual(parseRecap(ours.stdout, H), { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0 })
    const files = await bed().exec(H, 'cat /root/ansible /root/acplay')
    assert.equal(files.stdout, 'root\nroot\n')
    // become_allow_same_user: sudo even to root, which is not there
    const strict = await run('acplay', [], { ANSIBLE_BECOME_ALLOW_SAME_USER: 'true' })
    assert.equal(strict.code, 2, strict.stdout)
    assert.match(strict.stdout, /sudo/)
  })
})
