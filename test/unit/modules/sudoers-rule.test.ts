/**
 * sudoers' rule text against community.general.sudoers 6.6.2 (Debian's ansible): each case's
 * arguments were given to Ansible's module on a testbed host (validation: absent, so a rule visudo
 * would refuse is written too) and the file it wrote was read back (always mode 0440); `error` is
 * the module's failure.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { validateParams } from '../../../modules/schema.js'
import { commandList, pyJoin, sudoers, sudoersRule } from '../../../modules/sudoers.js'

interface Case {
  args: Record<string, unknown>
  text?: string
  error?: string
  path?: string
}

const CASES: Case[] = [
  { args: { user: 'alice', commands: '/usr/bin/true' }, text: 'alice ALL=NOPASSWD: /usr/bin/true\n' },
  {
    args: { group: 'ops', commands: ['/bin/a x', '/bin/b'], nopassword: false, runas: 'postgres', setenv: true, host: 'web1' },
    text: '%ops web1=(postgres)SETENV: /bin/a x, /bin/b\n',
  },
  { args: { user: 'alice', commands: '/bin/a, /bin/b,/bin/c' }, text: 'alice ALL=NOPASSWD: /bin/a,  /bin/b, /bin/c\n' },
  { args: { user: '', group: 'ops', commands: 'ALL' }, error: 'parameters are mutually exclusive: user|group' },
  { args: { user: 'alice', runas: '', commands: 'ALL' }, text: 'alice ALL=()NOPASSWD: ALL\n' },
  { args: { user: 'alice', commands: [1, 2.5, true] }, text: 'alice ALL=NOPASSWD: 1, 2.5, True\n' },
  { args: { user: 'alice', commands: [] }, text: 'alice ALL=NOPASSWD: \n' },
  { args: { user: 'alice', commands: 'ALL', setenv: true }, text: 'alice ALL=NOPASSWD:SETENV: ALL\n' },
  { args: { user: 'alice', commands: 'a,,b' }, text: 'alice ALL=NOPASSWD: a, , b\n' },
  { args: { user: 'alice', commands: 'a,' }, text: 'alice ALL=NOPASSWD: a, \n' },
  {
    args: { user: 'deploy', runas: 'root:wheel', host: 'web1,web2', commands: ['/usr/bin/systemctl restart app', '/usr/bin/systemctl reload app'] },
    text: 'deploy web1,web2=(root:wheel)NOPASSWD: /usr/bin/systemctl restart app, /usr/bin/systemctl reload app\n',
  },
  { args: { group: '%admins', commands: 'ALL', nopassword: 'no' }, text: '%%admins ALL= ALL\n' },
  {
    args: { user: 'alice', commands: 'sudoedit /etc/motd', nopassword: false, setenv: true, runas: 'ALL' },
    text: 'alice ALL=(ALL)SETENV: sudoedit /etc/motd\n',
  },
  { args: { user: 'alice', commands: 5 }, text: 'alice ALL=NOPASSWD: 5\n' },
  { args: { commands: 'ALL' }, error: "cannot access local variable 'owner' where it is not associated with a value" },
  { args: { user: 'alice', commands: 'ALL', name: '/tmp/abs-rule' }, text: 'alice ALL=NOPASSWD: ALL\n', path: '/tmp/abs-rule' },
]

describe("sudoers rule text (recorded from Ansible's module)", () => {
  for (const c of CASES) {
    it(`${JSON.stringify(c.args)} -> ${c.error ?? JSON.stringify(c.text)}`, () => {
      const write = () => {
        const p = validateParams(sudoers, { name: 'rec', ...c.args })
        return { path: pyJoin(p.sudoers_path, p.name), text: sudoersRule({ ...p, commands: commandList(p.commands) }) }
      }
      if (c.error?.startsWith('parameters are mutually exclusive')) {
        assert.throws(write, /mutually exclusive: user, group/)
      } else if (c.error) {
        // Ansible's module crashes on it (an unbound variable); acplay names what is missing
        assert.throws(write, /a rule needs user or group/)
      } else {
        const w = write()
        assert.equal(w.text, c.text)
        assert.equal(w.path, c.path ?? '/etc/sudoers.d/rec')
      }
    })
  }
})
