/**
 * Jump hosts and ssh config against Debian's ansible-playbook (OpenSSH's client): a bastion and a
 * target; the target is reached through the bastion by `-o ProxyJump`, `-J`, `-o ProxyCommand`
 * (OpenSSH's `ssh -W %h:%p`) and by a Host block in a config file given with `-F` (never the real
 * ~/.ssh/config). Proof the connection came through the bastion: $SSH_CONNECTION on the target
 * names the bastion's address as the client. Both tools must see the same address and recap. A jump
 * host that refuses, and a ProxyCommand that exits: unreachable in both, and acplay says which hop.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture, type CliResult } from '../helpers/cli.js'
import { ansiblePlaybookEnv, parseRecap, type Recap } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - shell: echo "$SSH_CONNECTION"
      register: c
      changed_when: false
    - debug:
        msg: "FROM {{ c.stdout.split()[0] }}"
`

interface Seen extends CliResult {
  /** per host */
  recap: Recap[]
  /** the client address the target's sshd saw, per host */
  from: string[]
}

describe('ProxyJump, ProxyCommand and ssh config -F, as ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['bastion', 'target'])
  let dir: string
  let bastion: string
  let target: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-jump-'))
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    bastion = bed().host('bastion').address
    target = bed().host('target').address
    const { key, knownHostsFile } = bed()
    // the jump hosts' key and known_hosts for OpenSSH's own jump connections (which do not get the -o options)
    writeFileSync(
      join(dir, 'jump.cfg'),
      `Host ${bastion} ${target}\n  IdentityFile ${key}\n  UserKnownHostsFile ${knownHostsFile}\n  StrictHostKeyChecking yes\n  ProxyJump none\n`,
    )
    // a fleet's ~/.ssh/config: aliases, a user, a key, the bastion for everything but itself
    writeFileSync(
      join(dir, 'fleet.cfg'),
      [
        '# the bastion first: its ProxyJump none wins over the Host * below',
        'Host jumpbox',
        `  HostName ${bastion}`,
        '  ProxyJump none',
        'Host app-* !app-x',
        `  HostName ${target}`,
        'Host *',
        '  User root',
        `  IdentityFile ${key}`,
        `  UserKnownHostsFile ${knownHostsFile}`,
        '  ProxyJump jumpbox',
      ].join('\n'),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** Runs the playbook with both tools against `inventory`; the hosts' client addresses and recaps. */
  async function both(inventory: string, hosts = ['target'], afterAcplay?: () => Promise<void>): Promise<{ ansible: Seen; acplay: Seen }> {
    const inv = join(dir, `inv-${Math.random().toString(36).slice(2)}.ini`)
    writeFileSync(inv, inventory)
    const args = [join(dir, 'site.yml'), '-i', inv]
    const run = async (tool: 'ansible' | 'acplay'): Promise<Seen> => {
      const r =
        tool === 'ansible'
          ? await capture(['ansible-playbook', ...args], {
              env: {
                ...ansiblePlaybookEnv(dir),
                // no master connections: hosts with one address and user would share one (ControlPath is
                // by host, port, user), whatever route each was given, and one run's would serve the next
                ANSIBLE_SSH_ARGS: '-o ControlMaster=no',
              },
            })
          : await acplay(['run', ...args])
      const from = hosts.map((h) => {
        const m = new RegExp(`ok: \\[${h}\\] => \\{\\s*"msg": "FROM (\\S+)"`).exec(r.stdout)
        return m?.[1] ?? 'none'
      })
      return { ...r, recap: hosts.map((h) => parseRecap(r.stdout, h)), from }
    }
    if (afterAcplay) {
      const mine = await run('acplay')
      await afterAcplay()
      return { acplay: mine, ansible: await run('ansible') }
    }
    const [ansible, mine] = await Promise.all([run('ansible'), run('acplay')])
    return { ansible, acplay: mine }
  }

  const keyVars = () => `ansible_user=root ansible_ssh_private_key_file=${bed().key}`

  it('-o ProxyJump, -J and a two-hop -J: the target sees the bastion as its client', async () => {
    const common = `-F ${dir}/jump.cfg -o UserKnownHostsFile=${bed().knownHostsFile}`
    const r = await both(
      [
        `by-o ansible_host=${target} ${keyVars()} ansible_ssh_common_args='${common} -o ProxyJump=root@${bastion}'`,
        `by-j ansible_host=${target} ${keyVars()} ansible_ssh_common_args='${common} -J root@${bastion}:22'`,
        // two hops: the bastion, then the target itself as deploy; so the target sees its own address
        `by-chain ansible_host=${target} ${keyVars()} ansible_ssh_common_args='${common} -J root@${bastion},deploy@${target}'`,
        // as ssh: no jumping through the very host (name, port, user) being connected to
        `by-loop ansible_host=${target} ${keyVars()} ansible_ssh_common_args='${common} -J root@${target}'`,
      ].join('\n'),
      ['by-o', 'by-j', 'by-chain', 'by-loop'],
    )
    assert.deepEqual(r.ansible.from, [bastion, bastion, target, 'none'], r.ansible.stdout + r.ansible.stderr)
    assert.match(r.acplay.stdout, new RegExp(`jumphost loop via ${target}`), r.acplay.stdout)
    assert.deepEqual(r.acplay.from, r.ansible.from, r.acplay.stdout + r.acplay.stderr)
    assert.deepEqual(r.acplay.recap, r.ansible.recap)
  })

  it('ProxyCommand through OpenSSH (ssh -W %h:%p): the bastion again', async () => {
    const { key, knownHostsFile } = bed()
    const proxy = `ssh -i ${key} -o UserKnownHostsFile=${knownHostsFile} -o StrictHostKeyChecking=yes -o BatchMode=yes -W %h:%p root@${bastion}`
    const r = await both(
      `target ansible_host=${target} ${keyVars()} ansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile} -o ProxyCommand="${proxy}"'\n`,
    )
    assert.deepEqual(r.ansible.from, [bastion], r.ansible.stdout + r.ansible.stderr)
    assert.deepEqual(r.acplay.from, r.ansible.from, r.acplay.stdout + r.acplay.stderr)
    assert.deepEqual(r.acplay.recap, r.ansible.recap)
  })

  it('a config file (-F): aliases, User, IdentityFile, known_hosts and ProxyJump from Host blocks; one jump connection for both hosts', async () => {
    const accepted = async () => Number((await bed().exec('bastion', 'journalctl -q _COMM=sshd | grep -c "Accepted publickey" || true')).stdout.trim())
    const before = await accepted()
    let logins = 0
    const counted = async () => {
      logins = (await accepted()) - before
    }
    // no ansible_user, no key, no ansible_host: all of it from the file, as ssh reads it
    const r = await both(
      `app-1 ansible_ssh_common_args='-F ${dir}/fleet.cfg'\napp-2 ansible_ssh_common_args='-F ${dir}/fleet.cfg'\n`,
      ['app-1', 'app-2'],
      counted,
    )
    assert.deepEqual(r.ansible.from, [bastion, bastion], r.ansible.stdout + r.ansible.stderr)
    assert.deepEqual(r.acplay.from, r.ansible.from, r.acplay.stdout + r.acplay.stderr)
    assert.deepEqual(r.acplay.recap, r.ansible.recap)
    // acplay's one jump connection for both hosts, and the count's own login
    assert.equal(logins, 2, 'logins on the bastion')
  })

  it('a jump host that refuses, a ProxyCommand that exits: unreachable, naming the hop, within the timeout', async () => {
    const started = Date.now()
    const script = join(dir, 'gone.sh')
    writeFileSync(script, 'echo "bastion is gone ($1)" >&2\nexit 7\n', { mode: 0o755 })
    const r = await both(
      [
        `down ansible_host=${target} ${keyVars()} ansible_timeout=5 ansible_ssh_common_args='-F ${dir}/jump.cfg -J root@${bastion}:2'`,
        `exits ansible_host=${target} ${keyVars()} ansible_timeout=5 ansible_ssh_common_args='-o ProxyCommand="${script} %h"'`,
      ].join('\n'),
      ['down', 'exits'],
    )
    assert.deepEqual(
      r.ansible.recap.map((x) => x.unreachable),
      [1, 1],
      r.ansible.stdout,
    )
    assert.deepEqual(r.acplay.recap, r.ansible.recap)
    const out = r.acplay.stdout
    assert.match(
      out,
      new RegExp(`through jump host ${bastion.replace(/\./g, '\\.')} \\(root@[^)]*:2\\): cannot connect to root@[\\d.]+:2: connection refused`),
      out,
    )
    assert.match(
      out,
      new RegExp(`cannot connect to root@${target}:22: ProxyCommand '${script} ${target}' exited with status 7: bastion is gone \\(${target}\\)`),
      out,
    )
    assert.ok(Date.now() - started < 20_000, 'within the connect timeout')
  })
})
