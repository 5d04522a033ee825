/**
 * sysctl on real hosts, side by side with ansible-playbook. The hosts get a writable /proc/sys/net
 * of their own network namespace (netAdmin), so real values are written; this file only ever writes
 * net.* keys (per network namespace), never kernel.* or vm.*, which would change the machine.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { sysctlModule } from '../../modules/sysctl.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const FILE = '/etc/sysctl.d/60-acplay.conf'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: forwarding off, in a sysctl.d file
      ansible.posix.sysctl: { name: net.ipv4.ip_forward, value: "0", sysctl_file: ${FILE} }
    - name: a port range (two fields)
      sysctl: { name: net.ipv4.ip_local_port_range, value: "10000 65000", sysctl_file: ${FILE} }
    - name: a boolean, set at once without a reload
      sysctl: { name: net.ipv4.tcp_syncookies, value: no, sysctl_set: true, reload: false, sysctl_file: ${FILE} }
    - name: a stale key goes
      sysctl: { name: net.ipv4.conf.all.log_martians, state: absent, sysctl_file: ${FILE} }
    - name: written without a reload
      sysctl: { name: net.core.somaxconn, value: "1024", reload: false }
    - name: the same key, loaded (the running value differs)
      ansible.posix.sysctl: { name: net.core.somaxconn, value: "1024" }
`
const SEED = `printf '# hand-made\\n   net.ipv4.conf.all.log_martians = 1\\n\\n  ; old\\nnet.ipv4.ip_forward=1\\nnet.ipv4.ip_forward = 1\\n' > ${FILE}`
const KEYS = 'net.ipv4.ip_forward net.ipv4.ip_local_port_range net.ipv4.tcp_syncookies net.ipv4.conf.all.log_martians net.core.somaxconn'
const STATE = `cat ${FILE}; echo ==; grep -v '^#' /etc/sysctl.conf | grep .; echo ==; sysctl ${KEYS}`

describe('sysctl on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['sysctl-a', 'sysctl-b'], { netAdmin: true })
  const root = hostConnections(bed, 'sysctl-a')
  const sides = new SideBySide(bed, 'sysctl-a', 'sysctl-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('sysctl-a', script)).stdout
  before(async () => {
    assert.ok(!/name: (kernel|vm|fs)\./.test(PLAYBOOK), 'this test writes per-netns keys only')
    for (const h of ['sysctl-a', 'sysctl-b']) assert.equal((await bed().exec(h, SEED)).rc, 0)
  })

  it('check mode on the fresh host predicts the run; both tools leave the same files and values', async () => {
    assert.equal(
      await sides.firstRun(6),
      `# hand-made\n\n; old\nnet.ipv4.ip_forward=0\nnet.ipv4.ip_local_port_range=10000 65000\nnet.ipv4.tcp_syncookies=0\n==\nnet.core.somaxconn=1024\n==\n` +
        'net.ipv4.ip_forward = 0\nnet.ipv4.ip_local_port_range = 10000\t65000\nnet.ipv4.tcp_syncookies = 0\nnet.ipv4.conf.all.log_martians = 1\nnet.core.somaxconn = 1024\n',
    )
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a running value set by hand and a hand-edited file are found in check mode; both tools repair them alike', async () => {
    await sides.drift(`sysctl -qw net.ipv4.ip_forward=1 && sed -i 's/^net.ipv4.ip_local_port_range=.*/net.ipv4.ip_local_port_range=20000 30000/' ${FILE}`, 2)
  })

  it('sysctl_set on a running value; a key the kernel does not have fails as in Ansible, and ignoreerrors', async () => {
    await sh('sysctl -qw net.ipv4.tcp_syncookies=1')
    const set = { name: 'net.ipv4.tcp_syncookies', value: 'false', sysctl_set: true, reload: false, sysctl_file: FILE }
    const c = await checkRun(sysctlModule, set, root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['set net.ipv4.tcp_syncookies = 0 (running value "1")'],
    )
    assert.equal((await realRun(sysctlModule, set, root())).status, 'changed')
    assert.equal(await sh('sysctl -n net.ipv4.tcp_syncookies'), '0\n')
    assert.equal((await realRun(sysctlModule, set, root())).status, 'ok')

    const nope = { name: 'net.ipv4.no_such_key', value: '1', sysctl_set: true, sysctl_file: '/etc/sysctl.d/61-nope.conf' }
    const r = await realRun(sysctlModule, nope, root())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /cannot stat \/proc\/sys\/net\/ipv4\/no_such_key/)
    assert.equal(await sh('ls /etc/sysctl.d/61-nope.conf 2>&1 | grep -c "No such"'), '1\n', 'nothing written after the failure')
    const ignored = await realRun(sysctlModule, { ...nope, ignoreerrors: true }, root())
    assert.equal(ignored.status, 'changed', ignored.msg)
    assert.equal(await sh('cat /etc/sysctl.d/61-nope.conf'), 'net.ipv4.no_such_key=1\n')
  })
})
