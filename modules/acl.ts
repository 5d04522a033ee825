/**
 * acl (ansible.posix.acl): one POSIX ACL entry of a file or directory set, removed or queried, as
 * Ansible's module does it: `setfacl --test` tells whether the entry would change anything (a
 * line not ending in "*,*"), then setfacl applies it; the result's `acl` is getfacl's listing
 * after the change (read in the same script; in check mode, the listing --test predicts, where
 * Ansible returns the ACL as it is). Effects: acl.read key=<getfacl argv> -> that predicted
 * listing (not for default=true, whose listing getfacl -d words differently).
 */
import { ModuleFailure } from '../engine/errors.js'
import { pathStat } from './facts/path.js'
import { defineModule, type Fact, type Plan } from './types.js'

interface AclOptions {
  follow: boolean
  default: boolean
  recursive: boolean
  recalculateMask: string
}

/** setfacl/getfacl's argv as Ansible builds it (-d right after the program). */
export function aclCommand(mode: 'set' | 'rm' | 'get', path: string, o: AclOptions, entry = ''): string[] {
  const cmd = mode === 'get' ? ['getfacl', '--omit-header', '--absolute-names'] : ['setfacl', mode === 'set' ? '-m' : '-x', entry]
  if (o.recursive) cmd.push('--recursive')
  if (mode !== 'get' && o.recalculateMask === 'mask') cmd.push('--mask')
  if (mode !== 'get' && o.recalculateMask === 'no_mask') cmd.push('--no-mask')
  if (!o.follow) cmd.push('--physical')
  if (o.default) cmd.splice(1, 0, '-d')
  return [...cmd, path]
}

/** Output lines as Ansible keeps them: comments dropped, each stripped, one empty last line trimmed. */
export function aclLines(out: string): string[] {
  if (out === '') return []
  const lines = out
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim())
  return lines.length && !lines[lines.length - 1] ? lines.slice(0, -1) : lines
}

/** A read-only ACL command (getfacl, or setfacl --test): its exit code and kept lines. */
const aclRead: Fact<{ rc: number; lines: string[]; err: string }, [string[]]> = {
  name: 'acl.read',
  key: (argv) => argv.join('\0'),
  command: (argv) => ({ argv: ['env', 'LC_ALL=C', ...argv] }),
  parse: (out) => ({ rc: out.rc, lines: aclLines(out.stdout), err: out.stderr.trim() }),
}

const LONG: Record<string, string> = { u: 'user', g: 'group', m: 'mask', o: 'other' }

/**
 * The ACL getfacl would list after the change, from `setfacl --test`'s "PATH: ACCESS,DEFAULT" line
 * ("*" for a part that stays; entries in short form: u::rw-, d:g:deploy:rwx); undefined when the
 * line cannot be read that way (then check mode returns the ACL as it is, as Ansible does).
 */
export function predictedAcl(path: string, current: readonly string[], testLine: string): string[] | undefined {
  if (!testLine.startsWith(`${path}: `)) return undefined
  const tokens = testLine.slice(path.length + 2).split(',')
  const access: string[] = []
  let i = 0
  if (tokens[0] === '*') i = 1
  else while (i < tokens.length && tokens[i] !== '*' && !tokens[i]!.startsWith('d:')) access.push(tokens[i++]!)
  const rest = tokens.slice(i)
  const long = (t: string) => {
    const m = /^(d:)?([ugmo]):(.*)$/.exec(t)
    return m ? `${m[1] ? 'default:' : ''}${LONG[m[2]!]}:${m[3]}` : undefined
  }
  const keptAccess = current.filter((l) => !l.startsWith('default:'))
  const keptDefault = current.filter((l) => l.startsWith('default:'))
  const newAccess = tokens[0] === '*' ? keptAccess : access.map(long)
  const newDefault = rest.length === 1 && rest[0] === '*' ? keptDefault : rest.map(long)
  const all = [...newAccess, ...newDefault]
  return all.every((l): l is string => l !== undefined) ? all : undefined
}

/** Ansible's split of an `entry`: [default flag, etype, entity, permissions]. */
export function splitEntry(entry: string): [boolean | undefined, string | undefined, string, string | undefined] {
  const a = entry.split(':')
  let d: boolean | undefined
  if (entry.toLowerCase().startsWith('d')) {
    d = true
    a.shift()
  }
  if (a.length === 2) a.push(undefined as unknown as string)
  const [t0 = '', e = '', p] = a
  const t = t0.toLowerCase()
  const etype = t.startsWith('u') ? 'user' : t.startsWith('g') ? 'group' : t.startsWith('m') ? 'mask' : t.startsWith('o') ? 'other' : undefined
  return [d, etype, e, p]
}

export const acl = defineModule({
  name: 'acl',
  aliases: ['ansible.posix.acl'],
  summary: 'Set, remove or read POSIX ACL entries of files',
  description:
    'state=query (the default) returns the ACL; present sets the entry (etype:entity:permissions, or `entry`), absent removes it. ' +
    'default: true works on the default ACL of a directory.',
  params: {
    path: { type: 'path', required: true, aliases: ['name'], description: 'The file or directory.' },
    entry: { type: 'str', description: 'The whole entry ("[d[efault]:]etype:entity[:perms]"), instead of etype/entity/permissions.' },
    entity: { type: 'str', default: '', description: 'The user or group name ("" for the owner, owning group, mask, other).' },
    etype: { type: 'str', choices: ['group', 'mask', 'other', 'user'], description: 'The entry type.' },
    permissions: { type: 'str', description: 'r, w, x (X for directories and executables).' },
    state: { type: 'str', default: 'query', choices: ['absent', 'present', 'query'], description: 'See the description.' },
    follow: { type: 'bool', default: true, description: 'false: act on a symlink itself (--physical).' },
    default: { type: 'bool', default: false, description: "The directory's default ACL." },
    recursive: { type: 'bool', default: false, aliases: ['recurse'], description: 'Apply to everything below path too.' },
    recalculate_mask: { type: 'str', default: 'default', choices: ['default', 'mask', 'no_mask'], description: 'setfacl --mask / --no-mask.' },
    use_nfsv4_acls: { type: 'bool', default: false, description: 'NFSv4 ACL entries (etype:entity:permissions:allow).' },
  },
  returns: { acl: "getfacl's lines after the task", msg: "'ENTRY is present', 'ENTRY is absent' or 'current acl'" },
  examples: `
- ansible.posix.acl:
    path: /srv/app/data
    entity: www-data
    etype: user
    permissions: rX
    state: present
- ansible.posix.acl:
    path: /srv/app/data
    entity: deploy
    etype: group
    permissions: rwX
    default: true
    state: present
`,
  async plan(p, ctx): Promise<Plan> {
    if (!(await ctx.fact(pathStat, p.path)).exists) throw new ModuleFailure('Path not found or not accessible.')
    let { etype, entity, permissions } = p
    let isDefault = p.default
    if (p.state === 'query') {
      if (p.recursive) throw new ModuleFailure("'recursive' MUST NOT be set when 'state=query'.")
      if (p.recalculate_mask !== 'default') throw new ModuleFailure("'recalculate_mask' MUST NOT be set to 'mask' or 'no_mask' when 'state=query'.")
    }
    if (!p.entry) {
      if (p.state === 'absent' && permissions) throw new ModuleFailure("'permissions' MUST NOT be set when 'state=absent'.")
      if (p.state === 'absent' && !entity) throw new ModuleFailure("'entity' MUST be set when 'state=absent'.")
      if (p.state !== 'query' && !etype) throw new ModuleFailure(`'etype' MUST be set when 'state=${p.state}'.`)
    } else {
      if (etype || entity || permissions) throw new ModuleFailure("'entry' MUST NOT be set when 'entity', 'etype' or 'permissions' are set.")
      const colons = p.entry.split(':').length - 1
      if (p.state === 'present' && ![2, 3].includes(colons)) throw new ModuleFailure("'entry' MUST have 3 or 4 sections divided by ':' when 'state=present'.")
      if (p.state === 'absent' && ![1, 2].includes(colons)) throw new ModuleFailure("'entry' MUST have 2 or 3 sections divided by ':' when 'state=absent'.")
      if (p.state === 'query') throw new ModuleFailure("'entry' MUST NOT be set when 'state=query'.")
      const [d, t, e, perms] = splitEntry(p.entry)
      etype = t as typeof etype
      entity = e
      permissions = perms
      if (d !== undefined) isDefault = d
    }
    const o = { follow: p.follow, default: isDefault, recursive: p.recursive, recalculateMask: p.recalculate_mask }
    const get = aclCommand('get', p.path, o)
    const current = await ctx.fact(aclRead, get)
    // check mode: an earlier planned task creates the path (its effect says so), the host has none yet
    if (current.rc !== 0 && ctx.effect('path.stat', p.path) !== undefined)
      return { kind: 'change', changes: [{ summary: `would set the ACL of ${p.path} (created by an earlier task)`, commands: [] }] }
    if (current.rc !== 0) throw new ModuleFailure(current.err || `getfacl failed (exit ${current.rc})`)
    if (p.state === 'query') return { kind: 'ok', reason: `${p.path}: ${current.lines.join(', ')}`, data: { msg: 'current acl', acl: current.lines } }
    const entry = p.use_nfsv4_acls
      ? [etype, entity, p.state === 'present' ? permissions : undefined, 'allow'].join(':')
      : p.state === 'present' && permissions
        ? `${etype}:${entity}:${permissions}`
        : `${etype}:${entity}`
    const change = aclCommand(p.state === 'present' ? 'set' : 'rm', p.path, o, entry)
    const test = await ctx.fact(aclRead, ['setfacl', '--test', ...change.slice(1)])
    if (test.rc !== 0 && p.state === 'present') throw new ModuleFailure(test.err || `setfacl failed (exit ${test.rc})`)
    const msg = `${entry} is ${p.state}`
    if (test.lines.every((l) => l.endsWith('*,*'))) return { kind: 'ok', reason: msg, data: { msg, acl: current.lines } }
    // absent: setfacl's exit code is not checked, as in Ansible; getfacl's listing follows for the result
    const apply = p.state === 'present' ? change : ['sh', '-c', '"$@"; exit 0', 'sh', ...change]
    // what check mode returns: the ACL as it would be (the real run reads it after the change)
    // (getfacl -d lists default entries without their prefix: only the access listing is predicted)
    const predicted = test.lines.length === 1 && !isDefault ? predictedAcl(p.path, current.lines, test.lines[0]!) : undefined
    return {
      kind: 'change',
      changes: [
        {
          summary: `${p.state === 'present' ? 'set' : 'remove'} ACL ${entry} on ${p.path}`,
          commands: [{ argv: ['env', 'LC_ALL=C', ...apply] }, { argv: ['env', 'LC_ALL=C', ...get] }],
          effects: predicted ? [{ fact: aclRead.name, key: aclRead.key!(get), value: { rc: 0, lines: predicted, err: '' } }] : [],
        },
      ],
      data: { msg, acl: predicted ?? current.lines },
    }
  },
  interpret(_p, out) {
    if (out.rc !== 0) return { failed: true, msg: out.stderr.trim() || `setfacl failed (exit ${out.rc})`, data: {} }
    return { failed: false, data: { acl: aclLines(out.stdout) } }
  },
})
