/**
 * become_flags and become_exe against Debian's ansible-playbook (its sudo and su become plugins),
 * each tool on its own sibling host prepared the same way (a normal user alice; deploy with a sudo
 * password; a wrapper that records its use and execs sudo). Logged in as root: sudo's defaults (-H),
 * `-i` from a template (a login shell: alice's home is the cwd), flags without -H, become_exe, su to
 * www-data failing without flags and running with `-s /bin/sh`, `su -l`; ansible_become_flags in the
 * inventory winning over the keyword, ansible_su_flags over it, ANSIBLE_SUDO_EXE; logged in as deploy,
 * sudo with a password and flags (Ansible's own `-H -S -n`, `-i`, `-nH` through become_exe, a file
 * streamed on its own channel under `-i`). Recaps, what the commands saw (`id -un`, $HOME, the cwd),
 * the files' owners and the wrapper's log are compared.
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

const THEIRS = 'bfl1'
const OURS = 'bfl2'
const DEPLOY_PW = 'd3p pw;$HOME"y'

const WRAPPER = '#!/bin/sh\necho "$(basename "$0") $(id -un)" >> /var/tmp/sudo-rec.log\nexec sudo "$@"\n'

const AS_ROOT = `- hosts: all
  gather_facts: false
  become: true
  become_user: alice
  vars:
    login: -i
  tasks:
    - name: sudo's defaults (-H)
      shell: 'echo "$(id -un) $HOME"'
      register: dflt
      changed_when: false
    - name: a login shell (-i, from a template), alice's home the cwd
      shell: 'echo "$(id -un) $HOME $(pwd)"'
      become_flags: "{{ login }}"
      register: login_out
      changed_when: false
    - name: flags without -H
      shell: 'echo "$(id -un) $HOME"'
      become_flags: -n
      register: noh
      changed_when: false
    - name: become_exe, a wrapper that records its use and execs sudo
      copy: { dest: /tmp/bf-exe, content: "x\\n" }
      become_exe: /usr/local/bin/sudo-rec
    - name: su to a nologin user runs nothing
      command: id -un
      become_method: su
      become_user: www-data
      ignore_errors: true
    - name: su given a shell runs it
      command: id -un
      become_method: su
      become_user: www-data
      become_flags: -s /bin/sh
      register: www
      changed_when: false
    - copy: { dest: /tmp/bf-www, content: "{{ www.stdout }}\\n" }
      become_method: su
      become_user: www-data
      become_flags: -s /bin/sh
    - name: su -l, a login shell
      shell: 'echo "$(id -un) $(pwd)"'
      become_method: su
      become_flags: -l
      register: sul
      changed_when: false
    - copy:
        dest: /tmp/bf-out
        content: "{{ [dflt.stdout, login_out.stdout, noh.stdout, sul.stdout] | join('\\n') }}\\n"
      become: false
`

const AS_ROOT_VARS = `- hosts: all
  gather_facts: false
  become: true
  become_user: alice
  tasks:
    - name: ansible_become_flags (-i) wins over the keyword
      shell: 'echo "$(id -un) $HOME $(pwd)"'
      become_flags: -H
      register: var
      changed_when: false
    - name: ansible_su_flags wins over ansible_become_flags
      command: id -un
      become_method: su
      become_user: nobody
      vars: { ansible_su_flags: -s /bin/sh }
      register: su
      changed_when: false
    - copy: { dest: /tmp/bf-var, content: "{{ var.stdout }}\\n{{ su.stdout }}\\n" }
      become: false
`

const AS_DEPLOY = `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: Ansible's default flags as given, with a password
      shell: 'echo "$(id -un) $HOME"'
      become_flags: -H -S -n
      register: given
      changed_when: false
    - name: a login shell as root
      shell: 'echo "$(id -un) $HOME $(pwd)"'
      become_flags: -i
      register: login
      changed_when: false
    - copy: { dest: /root/bf-deploy, content: "{{ given.stdout }}\\n{{ login.stdout }}\\n" }
      become_exe: /usr/local/bin/sudo-rec
      become_flags: -nH
    - name: a file streamed on its own channel, through sudo -i with the password
      copy: { src: big.bin, dest: /root/bf-big.bin }
      become_flags: -i
`

describe('become_flags and become_exe as in ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed([THEIRS, OURS])
  const dir = mkdtempSync(join(tmpdir(), 'acplay-bflags-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'as-root.yml'), AS_ROOT)
  writeFileSync(join(dir, 'as-root-vars.yml'), AS_ROOT_VARS)
  writeFileSync(join(dir, 'as-deploy.yml'), AS_DEPLOY)
  writeFileSync(join(dir, 'big.bin'), randomBytes(600_000))
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: join(dir, '.tmp') }

  before(async () => {
    const prepare = [
      'useradd -m -s /bin/bash alice',
      `printf '%s\\n' ${shellJoin([`deploy:${DEPLOY_PW}`])} | chpasswd`,
      "echo 'deploy ALL=(ALL) ALL' > /etc/sudoers.d/deploy",
      `printf '%s' ${shellJoin([WRAPPER])} > /usr/local/bin/sudo-rec`,
      'chmod 755 /usr/local/bin/sudo-rec',
      'ln -s sudo-rec /usr/local/bin/sudo-env',
      'install -m 666 /dev/null /var/tmp/sudo-rec.log',
    ].join(' && ')
    for (const h of [THEIRS, OURS]) {
      const r = await bed().exec(h, prepare)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  /** Both tools at once, each on its host, with the same inventory options and environment. */
  const both = async (playbook: string, user: string, vars: Record<string, string> = {}, more: Record<string, string> = {}) => {
    const run = (tool: 'ansible' | 'acplay', host: string) => {
      const argv = [join(dir, playbook), '-i', bed().inventory({ hosts: [host], user, vars })]
      const e = { ...env, ...more }
      return tool === 'ansible' ? capture(['ansible-playbook', ...argv], { cwd: dir, env: e }) : acplay(['run', ...argv], { cwd: dir, env: e })
    }
    const [theirs, ours] = await Promise.all([run('ansible', THEIRS), run('acplay', OURS)])
    assert.deepEqual(parseRecap(ours.stdout, OURS), parseRecap(theirs.stdout, THEIRS), `${ours.stdout}${ours.stderr}\n${theirs.stdout}`)
    assert.equal(ours.code, theirs.code, `${ours.stdout}${ours.stderr}\n${theirs.stdout}`)
    return { ours, theirs }
  }
  const states = async (script: string) => {
    const [theirs, ours] = await Promise.all([THEIRS, OURS].map(async (h) => (await bed().exec(h, script)).stdout))
    assert.equal(ours, theirs)
    return ours!
  }

  it('logged in as root: sudo -i, flags without -H, become_exe; su -s /bin/sh to www-data, su -l', async () => {
    const { ours } = await both('as-root.yml', 'root')
    assert.deepEqual(parseRecap(ours.stdout, OURS), { ok: 9, changed: 3, unreachable: 0, failed: 0, skipped: 0 })
    assert.match(ours.stdout, /ignored=1/)
    assert.match(ours.stdout, new RegExp(`su to www-data on ${OURS}: the user's login shell runs no commands`))
    const out = await states('cat /tmp/bf-out /tmp/bf-www; stat -c "%n %U" /tmp/bf-exe /tmp/bf-www; cat /var/tmp/sudo-rec.log | sort -u')
    // sudo 1.9 on Debian 12 sets HOME to the target's without -H too (measured in both tools)
    assert.equal(
      out,
      'alice /home/alice\nalice /home/alice /home/alice\nalice /home/alice\nalice /home/alice\nwww-data\n/tmp/bf-exe alice\n/tmp/bf-www www-data\nsudo-rec root\n',
    )
  })

  it('ansible_become_flags in the inventory over the keyword, ansible_su_flags over it; ANSIBLE_SUDO_EXE', async () => {
    const { ours } = await both('as-root-vars.yml', 'root', { ansible_become_flags: '-i' }, { ANSIBLE_SUDO_EXE: '/usr/local/bin/sudo-env' })
    assert.deepEqual(parseRecap(ours.stdout, OURS), { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0 })
    assert.equal(
      await states('cat /tmp/bf-var; grep -c sudo-env /var/tmp/sudo-rec.log >/dev/null && echo env-used'),
      'alice /home/alice /home/alice\nnobody\nenv-used\n',
    )
  })

  it('logged in as deploy: sudo with a password and flags (-n dropped), become_exe, a streamed upload under -i; the password never shown', async () => {
    const { ours } = await both('as-deploy.yml', 'deploy', { ansible_become_password: DEPLOY_PW })
    assert.deepEqual(parseRecap(ours.stdout, OURS), { ok: 4, changed: 2, unreachable: 0, failed: 0, skipped: 0 })
    assert.ok(!(ours.stdout + ours.stderr).includes('d3p'), ours.stdout)
    const out = await states(
      'cat /root/bf-deploy; stat -c "%U" /root/bf-deploy /root/bf-big.bin; grep -q "sudo-rec deploy" /var/tmp/sudo-rec.log && echo exe-used; md5sum < /root/bf-big.bin',
    )
    assert.match(out, /^root \/root\nroot \/root \/root\nroot\nroot\nexe-used\n[0-9a-f]{32} {2}-\n$/)
  })
})
