/**
 * sysctl (ansible.posix.sysctl): a kernel parameter in a sysctl file, and in the running kernel
 * (sysctl_set, or reload: `sysctl -p FILE`), with Ansible's decisions (sysctl/conf.ts). Reads the file
 * and the running value together (one round trip when read ahead).
 *
 * Effects recorded: path.stat/path.content of the file (files/write.ts) and sysctl.value (key: the
 * name) = the running value after the change.
 */
import { ModuleFailure } from '../engine/errors.js'
import { sysctlValue } from './facts/sysctl.js'
import { readContent, type Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { decide, fileValues, fixedText, sameValue, sysctlValueOf } from './sysctl/conf.js'
import { defineModule, shScript, type Change, type Command, type FactEffect, type Plan } from './types.js'

// sysctl may exit 0 and still fail to set a key: its stderr tells (as Ansible checks)
const SYSCTL = `out=$(LC_ALL=C sysctl "$@" 2>&1); rc=$?
printf '%s\\n' "$out"
if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$'; then
  printf '%s\\n' "$out" >&2; exit 1
fi`
const sysctl = (...args: string[]): Command => shScript(SYSCTL, ...args)

/** Keys as sysctl takes them: dots or slashes between names of letters, digits, _ - : @ and the like. */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:@/+-]*$/

export const sysctlModule = defineModule({
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  summary: 'Manage entries in sysctl.conf',
  description:
    'Sets the key in sysctl_file (the file is rewritten as Ansible does: lines stripped, a repeated key kept once) and, with reload, ' +
    'loads the file with `sysctl -p` when the file or the running value differs; sysctl_set sets the running value with `sysctl -w`.',
  params: {
    name: { type: 'str', required: true, aliases: ['key'], description: 'The dot-separated path (key) of the parameter.' },
    value: { type: 'str', aliases: ['val'], description: 'Desired value (booleans become 1 and 0). Required with state=present.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the entry should be in the file.' },
    ignoreerrors: { type: 'bool', default: false, description: 'Ignore errors about unknown keys (sysctl -e).' },
    reload: {
      type: 'bool',
      default: true,
      description: 'Load the file with `sysctl -p FILE` when anything changed (and check the running value when the file is right).',
    },
    sysctl_file: { type: 'path', default: '/etc/sysctl.conf', description: 'The file to change.' },
    sysctl_set: { type: 'bool', default: false, description: 'Set the running value with `sysctl -w` when it differs.' },
  },
  requiredIf: [['state', 'present', ['value']]],
  returns: {},
  examples: `
- ansible.posix.sysctl:
    name: net.ipv4.ip_forward
    value: "1"
    sysctl_file: /etc/sysctl.d/60-forwarding.conf
- sysctl: { name: net.core.somaxconn, value: "1024", sysctl_set: true, reload: false }
`,
  async plan(p, ctx): Promise<Plan> {
    const name = p.name.trim()
    const present = p.state === 'present'
    const value = sysctlValueOf(p.value)
    if (name === '') throw new ModuleFailure('name cannot be blank')
    if (present && value === '') throw new ModuleFailure('value cannot be blank')
    if (!KEY.test(name)) throw new ModuleFailure(`name ${JSON.stringify(name)} is not a sysctl key (letters, digits, _ . / - : @ +)`)
    if (/[\n\r]/.test(value)) throw new ModuleFailure('value must be a single line')
    const file = p.sysctl_file
    if (!file.startsWith('/')) throw new ModuleFailure(`sysctl_file must be an absolute path, got ${JSON.stringify(file)}`)

    const [c, read] = await Promise.all([readContent(ctx, file), ctx.fact(sysctlValue, name)])
    if (c === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${file} (depends on an earlier change)`, commands: [] }] }
    if (c.stat.exists && c.stat.type !== 'file') throw new ModuleFailure(`sysctl_file ${file} is not a regular file (${c.stat.type})`)
    const proc = read === null ? null : read.replace(/\n$/, '')
    const text = c.text ?? ''
    const d = decide({ present, value, reload: p.reload, sysctlSet: p.sysctl_set }, fileValues(text).get(name), proc)
    const running = proc === null ? 'unreadable' : JSON.stringify(proc)
    if (!d.changed) {
      const where = present ? `${name}=${value} in ${file}` : `${name} not in ${file}`
      return { kind: 'ok', reason: `${where}${present && (p.reload || p.sysctl_set) ? `, running value ${running}` : ''}` }
    }
    const e = p.ignoreerrors ? ['-e'] : []
    const changes: Change[] = []
    if (d.setProc) changes.push({ summary: `set ${name} = ${value} (running value ${running})`, commands: [sysctl(...e, '-w', `${name}=${value}`)] })
    if (d.writeFile) {
      const stats: Stats = { user: c.user, group: c.group, get: (x) => (x === file ? c.stat : { exists: false }) }
      const w = await planWrite(ctx, { dest: file, content: Buffer.from(fixedText(text, name, value, present)), want: {}, before: Buffer.from(text) }, stats)
      const what = present ? `${name}=${value}` : `remove ${name}`
      if (w.kind === 'change') changes.push(...w.changes.map((ch) => (ch.upload ? { ...ch, summary: `${what} in ${file}` } : ch)))
    }
    if (d.reload) changes.push({ summary: `reload ${file} (sysctl -p)`, commands: [sysctl(...e, '-p', file)] })
    if (changes.length === 0) changes.push({ summary: `${name}: running value ${running} is not ${value} (the key cannot be read)`, commands: [] })
    const after = d.setProc || (d.reload && present) ? value : proc
    if (!sameValue(after, proc)) {
      const effect: FactEffect = { fact: 'sysctl.value', key: name, value: after }
      const last = changes[changes.length - 1]!
      changes[changes.length - 1] = { ...last, effects: [...(last.effects ?? []), effect] }
    }
    return { kind: 'change', changes }
  },
})
