/**
 * hostname: the running (transient) and the permanent (static, /etc/hostname) hostname through
 * systemd's hostnamectl, as Ansible's systemd strategy sets them (the pretty name too). Returns the
 * facts Ansible returns (ansible_hostname, ansible_nodename, ansible_fqdn, ansible_domain).
 *
 * Effects recorded: hostname.state = both names set.
 */
import { ModuleFailure } from '../engine/errors.js'
import { hostnameState, type HostnameState } from './facts/hostname.js'
import { defineModule, type Change, type Plan } from './types.js'

const STRATEGIES = ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'] as const

export const hostname = defineModule({
  name: 'hostname',
  aliases: ['ansible.builtin.hostname'],
  summary: 'Manage hostname',
  description:
    'Sets the static hostname (and the pretty name) with `hostnamectl --pretty --static set-hostname`, then the running one with ' +
    '`hostnamectl --transient set-hostname`, as Ansible does on systemd hosts. /etc/hosts is not changed.',
  params: {
    name: { type: 'str', required: true, description: 'Name of the host (at most 64 characters).' },
    use: {
      type: 'str',
      choices: STRATEGIES,
      description: 'Strategy: systemd (and debian, which is systemd on Debian) are supported; default: systemd when it runs.',
    },
  },
  returns: { name: 'the hostname', ansible_facts: 'ansible_hostname, ansible_nodename, ansible_fqdn, ansible_domain for the new name' },
  examples: `
- ansible.builtin.hostname:
    name: web01
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.use !== undefined && p.use !== 'systemd' && p.use !== 'debian')
      throw new ModuleFailure(`hostname: use=${p.use} is not supported; acplay sets hostnames with systemd's hostnamectl (use: systemd)`)
    const name = p.name
    if (!name || /[\s/\\'"`$]/.test(name)) throw new ModuleFailure(`name ${JSON.stringify(name)} is not a valid hostname`)
    if (name.length > 64) throw new ModuleFailure('name cannot be longer than 64 characters on systemd servers, try a shorter name')
    const s = await ctx.fact(hostnameState, name)
    if (!s.systemd) throw new ModuleFailure(`hostname: hostnamectl is not usable on ${ctx.host} (systemd is not running); only systemd hosts are supported`)
    const fqdn = s.fqdn
    const data = {
      name,
      ansible_facts: { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') },
    }
    const changes: Change[] = []
    if (s.static !== name)
      changes.push({ summary: `static hostname ${s.static} -> ${name}`, commands: [{ argv: ['hostnamectl', '--pretty', '--static', 'set-hostname', name] }] })
    if (s.transient !== name)
      changes.push({ summary: `hostname ${s.transient} -> ${name}`, commands: [{ argv: ['hostnamectl', '--transient', 'set-hostname', name] }] })
    if (changes.length === 0) return { kind: 'ok', reason: `hostname is ${name}`, data }
    const before = s.transient !== name ? s.transient : s.static
    const last = changes[changes.length - 1]!
    changes[changes.length - 1] = {
      ...last,
      diff: { path: 'hostname', before: `hostname = ${before}\n`, after: `hostname = ${name}\n` },
      effects: [{ fact: hostnameState.name, key: '', value: { ...s, transient: name, static: name } satisfies HostnameState }],
    }
    return { kind: 'change', changes, data }
  },
})
