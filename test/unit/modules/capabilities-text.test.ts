/**
 * capabilities' reading and writing of capability text, against the real tools and Ansible's module:
 * - SETCAP: libcap 2.66 (the testbed's libcap2-bin): `setcap TEXT FILE` on a file without
 *   capabilities, then `getcap -v FILE` (null: setcap refused the text). getcapAfter must print
 *   exactly what getcap printed, so check mode's effects hold what later tasks will read, and
 *   setcapRefusal must know which texts setcap refuses.
 * - ANSIBLE: community.general.capabilities 6.6.2 (Debian's ansible) run on a testbed host, in check
 *   mode (changed, or its failure) and for real (what getcap printed after; null: setcap failed),
 *   from the state `before` (what `getcap -v /tmp/capf` printed).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CapTextError, getcapAfter, parseGetcap, setcapFor, setcapRefusal } from '../../../modules/capabilities-text.js'

const SETCAP: [text: string, getcap: string | null][] = [
  ['cap_net_bind_service+ep', '/tmp/tc cap_net_bind_service=ep\n'],
  ['cap_net_bind_service=ep', '/tmp/tc cap_net_bind_service=ep\n'],
  ['CAP_NET_RAW=ep', '/tmp/tc cap_net_raw=ep\n'],
  ['cap_net_raw+p cap_net_admin+ep', null],
  ['cap_net_raw,cap_chown+ep cap_kill+i', null],
  ['cap_kill+i cap_net_raw+p cap_chown+ip', '/tmp/tc cap_chown=ip cap_kill+i cap_net_raw+p\n'],
  ['cap_net_raw-ep', '/tmp/tc =\n'],
  ['', '/tmp/tc =\n'],
  ['=ep', '/tmp/tc =ep\n'],
  ['=', '/tmp/tc =\n'],
  ['all=ep cap_kill-e', null],
  ['all=ep cap_kill-ep', '/tmp/tc =ep cap_kill-ep\n'],
  ['all=p cap_kill-p', '/tmp/tc =p cap_kill-p\n'],
  ['all+i', '/tmp/tc =i\n'],
  ['cap_kill=', '/tmp/tc =\n'],
  ['cap_net_raw+ep cap_net_raw-e', '/tmp/tc cap_net_raw=p\n'],
  ['cap_setuid+e', '/tmp/tc =\n'],
  ['cap_bogus+ep', null],
  ['cap_net_raw=ep cap_net_admin=ep', '/tmp/tc cap_net_admin,cap_net_raw=ep\n'],
  ['cap_net_admin,cap_net_raw=ep cap_sys_time=ep', '/tmp/tc cap_net_admin,cap_net_raw,cap_sys_time=ep\n'],
  ['cap_chown=p cap_kill=i cap_fowner=ip', '/tmp/tc cap_fowner=ip cap_kill+i cap_chown+p\n'],
  ['cap_chown=eip cap_kill+ep', '/tmp/tc cap_chown=eip cap_kill+ep\n'],
  ['cap_chown=eip cap_kill=ep', '/tmp/tc cap_chown=eip cap_kill+ep\n'],
  ['cap_a=ep', null],
  ['cap_kill+e+p', '/tmp/tc cap_kill=ep\n'],
  ['cap_kill=e+p', '/tmp/tc cap_kill=ep\n'],
  ['cap_kill=+ep', '/tmp/tc cap_kill=ep\n'],
  ['cap_kill=-ep', '/tmp/tc =\n'],
  ['cap_kill+ep-e', '/tmp/tc cap_kill=p\n'],
  ['12+ep', '/tmp/tc cap_net_admin=ep\n'],
  ['cap_kill+x', null],
  ['cap_kill2+ep', null],
  ['cap_kill,+ep', null],
  ['cap_kill=ep,cap_chown', null],
  ['cap_net_bind_service=ep cap_net_raw=ep cap_chown=ep', '/tmp/tc cap_chown,cap_net_bind_service,cap_net_raw=ep\n'],
  ['cap_net_bind_service,cap_net_raw+p cap_chown+i', '/tmp/tc cap_chown=i cap_net_bind_service,cap_net_raw+p\n'],
  ['=p cap_kill-p', '/tmp/tc =p cap_kill-p\n'],
  ['=ip cap_kill+e', null],
  ['cap_net_raw+ep  cap_kill+ep', '/tmp/tc cap_kill,cap_net_raw=ep\n'],
  [' cap_kill=p ', '/tmp/tc cap_kill=p\n'],
  [
    'cap_kill=p cap_chown=p cap_fowner=p cap_setuid=p cap_setgid=p cap_sys_admin=p cap_sys_time=p cap_bpf=p cap_perfmon=p cap_syslog=p cap_mknod=p cap_lease=p cap_net_raw=p cap_net_admin=p cap_ipc_lock=p cap_ipc_owner=p cap_sys_module=p cap_sys_rawio=p cap_sys_chroot=p cap_sys_ptrace=p cap_sys_pacct=p cap_sys_boot=p',
    '/tmp/tc =p cap_dac_override,cap_dac_read_search,cap_fsetid,cap_setpcap,cap_linux_immutable,cap_net_bind_service,cap_net_broadcast,cap_sys_nice,cap_sys_resource,cap_sys_tty_config,cap_audit_write,cap_audit_control,cap_setfcap,cap_mac_override,cap_mac_admin,cap_wake_alarm,cap_block_suspend,cap_audit_read,cap_checkpoint_restore-p\n',
  ],
  ['cap_checkpoint_restore=ep', '/tmp/tc cap_checkpoint_restore=ep\n'],
  ['ALL=i', '/tmp/tc =i\n'],
  ['cap_kill=ep cap_kill-ep', '/tmp/tc =\n'],
]

interface AnsibleCase {
  before: string
  capability: string
  state: 'present' | 'absent'
  changed?: boolean
  after?: string | null
  error?: string
}

const ANSIBLE: AnsibleCase[] = [
  { before: '/tmp/capf\n', capability: 'cap_net_bind_service=ep', state: 'present', changed: true, after: '/tmp/capf cap_net_bind_service=ep\n' },
  { before: '/tmp/capf\n', capability: 'cap_net_bind_service+ep', state: 'present', changed: true, after: '/tmp/capf cap_net_bind_service=ep\n' },
  {
    before: '/tmp/capf cap_net_bind_service=ep\n',
    capability: 'cap_net_bind_service+ep',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_net_bind_service=ep\n',
  },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_bind_service=ep', state: 'present', changed: false },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: '  CAP_NET_BIND_SERVICE=EP  ', state: 'present', changed: false },
  {
    before: '/tmp/capf cap_net_bind_service=ep\n',
    capability: 'cap_net_raw=ep',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_net_bind_service,cap_net_raw=ep\n',
  },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_raw=p', state: 'present', changed: true, after: null },
  {
    before: '/tmp/capf cap_net_bind_service=ep\n',
    capability: 'cap_net_bind_service=p',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_net_bind_service=p\n',
  },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_bind_service', state: 'absent', changed: true, after: '/tmp/capf =\n' },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_bind_service+ep', state: 'absent', changed: true, after: '/tmp/capf =\n' },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_raw', state: 'absent', changed: false },
  {
    before: '/tmp/capf cap_net_bind_service,cap_net_raw=ep\n',
    capability: 'cap_net_raw',
    state: 'absent',
    changed: true,
    after: '/tmp/capf cap_net_bind_service=ep\n',
  },
  { before: '/tmp/capf cap_net_bind_service,cap_net_raw=ep\n', capability: 'cap_net_raw=ep', state: 'present', changed: false },
  {
    before: '/tmp/capf cap_chown=ip cap_kill+i cap_net_raw+p\n',
    capability: 'cap_setuid=p',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_chown=ip cap_setuid+p\n',
  },
  {
    before: '/tmp/capf cap_chown=ip cap_kill+i cap_net_raw+p\n',
    capability: 'cap_kill=i',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_chown=ip cap_kill+i\n',
  },
  { before: '/tmp/capf cap_chown=ip cap_kill+i cap_net_raw+p\n', capability: 'cap_kill', state: 'absent', changed: false },
  { before: '/tmp/capf cap_chown=ip cap_kill+i cap_net_raw+p\n', capability: 'cap_chown', state: 'absent', changed: true, after: '/tmp/capf =\n' },
  { before: '/tmp/capf =\n', capability: 'cap_net_raw', state: 'absent', changed: false },
  { before: '/tmp/capf =\n', capability: 'cap_net_raw=ep', state: 'present', changed: true, after: '/tmp/capf cap_net_raw=ep\n' },
  { before: '/tmp/capf\n', capability: 'cap_net_raw', state: 'absent', changed: false },
  { before: '/tmp/capf\n', capability: 'cap_net_raw', state: 'present', error: "Couldn't find operator (one of: ('=', '-', '+'))" },
  { before: '/tmp/capf\n', capability: 'cap_net_raw-ep', state: 'present', changed: true, after: '/tmp/capf =\n' },
  { before: '/tmp/capf\n', capability: 'cap_a+ep cap_b+ep', state: 'present', error: 'MODULE FAILURE\nSee stdout/stderr for the exact error' },
  { before: '/tmp/capf\n', capability: 'cap_bogus=ep', state: 'present', changed: true, after: null },
  { before: '/tmp/capf =ep\n', capability: 'cap_chown=ep', state: 'present', error: "Couldn't find operator (one of: ('=', '-', '+'))" },
  { before: '/tmp/capf =ep\n', capability: 'cap_chown', state: 'absent', error: "Couldn't find operator (one of: ('=', '-', '+'))" },
  { before: '/tmp/capf =p cap_kill-p\n', capability: 'cap_kill=p', state: 'present', error: "Couldn't find operator (one of: ('=', '-', '+'))" },
  { before: '/tmp/capf\n', capability: 'cap_net_raw+p', state: 'present', changed: true, after: '/tmp/capf cap_net_raw=p\n' },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_raw+p', state: 'present', changed: true, after: null },
  {
    before: '/tmp/capf cap_net_bind_service=ep\n',
    capability: 'cap_net_raw=eip',
    state: 'present',
    changed: true,
    after: '/tmp/capf cap_net_raw=eip cap_net_bind_service+ep\n',
  },
  { before: '/tmp/capf cap_net_bind_service=ep\n', capability: 'cap_net_raw+ep-e', state: 'present', changed: true, after: null },
]

describe('capability text (libcap 2.66, recorded)', () => {
  for (const [text, getcap] of SETCAP) {
    it(`setcap ${JSON.stringify(text)} -> ${getcap === null ? 'refused' : JSON.stringify(getcap.trim())}`, () => {
      assert.equal(getcapAfter('/tmp/tc', text) ?? null, getcap)
      assert.equal(setcapRefusal(text) !== undefined, getcap === null, 'check mode says when setcap will refuse it')
    })
  }
})

describe("community.general.capabilities' decisions (recorded from Ansible's module)", () => {
  for (const c of ANSIBLE) {
    const what = c.error ? `fails: ${c.error}` : c.changed ? `changed, then ${c.after === null ? 'setcap fails' : JSON.stringify(c.after!.trim())}` : 'ok'
    it(`${JSON.stringify(c.before.trim())} + ${c.state} ${JSON.stringify(c.capability)}: ${what}`, () => {
      const decide = () => setcapFor(c.before, '/tmp/capf', c.capability, c.state)
      if (c.error === 'MODULE FAILURE\nSee stdout/stderr for the exact error') {
        // Ansible's module crashes (ValueError); acplay says what is wrong
        assert.throws(decide, (e: Error) => e instanceof CapTextError && /more than once/.test(e.message))
        return
      }
      if (c.error) {
        assert.throws(decide, (e: Error) => e instanceof CapTextError && e.message === c.error)
        return
      }
      const text = decide()
      assert.equal(text !== undefined, c.changed)
      if (text !== undefined) assert.equal(getcapAfter('/tmp/capf', text) ?? null, c.after)
    })
  }

  it('only the first clause of getcap is read, as Ansible reads it', () => {
    assert.deepEqual(parseGetcap('/f cap_chown=ip cap_kill+i\n', '/f'), [['cap_chown', '=', 'ip']])
    assert.deepEqual(parseGetcap('/f cap_a,cap_b=ep\n', '/f'), [
      ['cap_a', '=', 'ep'],
      ['cap_b', '=', 'ep'],
    ])
    assert.deepEqual(parseGetcap('/f =\n', '/f'), [])
    assert.deepEqual(parseGetcap('/f\n', '/f'), [])
  })
})
