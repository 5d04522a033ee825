/**
 * The user planner, pure: given the facts (the account, the groups it names, the new home's state)
 * it returns the Plan. The module (modules/user.ts) gathers the facts; unit tests give recorded ones.
 *
 * Effects recorded (for check mode):
 * - `user.info` (key = name): the account as it will be after the change ({ exists: false } on removal).
 * - `group.info` (key = name): the user's own group, when useradd creates it (no `group` given).
 * - `path.stat` (key = home): a directory owned by the user when a home is created; absent after `remove`.
 * The password's effect is its digest (see facts/user.ts), never the hash.
 */
import { shScript, type Change, type Command, type FactEffect, type Plan } from '../types.js'
import { passwordDigest, type UserInfo } from '../facts/user.js'
import type { GroupInfo } from '../facts/group.js'
import type { PathStat } from '../facts/path.js'

export interface UserParams {
  name: string
  state: string
  uid?: number
  group?: string
  groups?: string[]
  append: boolean
  home?: string
  create_home: boolean
  system: boolean
  shell?: string
  password?: string
  update_password: string
  remove: boolean
  comment?: string
  password_expire_min?: number
  password_expire_max?: number
  /** seconds since the epoch; negative: never */
  expires?: number
  password_lock?: boolean
  non_unique?: boolean
  force?: boolean
  skeleton?: string
  move_home?: boolean
  umask?: string
}

/** useradd/usermod --expiredate: the UTC day of `expires` (seconds), '' for never (as Ansible's time.gmtime). */
const expireDate = (expires: number) => (expires < 0 ? '' : new Date(Math.floor(expires) * 1000).toISOString().slice(0, 10))
/** shadow's expire field: days since the epoch, -1 for never. */
const expireDays = (expires: number) => (expires < 0 ? -1 : Math.floor(Math.floor(expires) / 86400))

/** chage -m / -M for what differs (all given ones for a new account, whose aging is login.defs'). */
function chage(p: UserParams, u: UserInfo | undefined): { argv: string[]; after: Partial<UserInfo> } | undefined {
  const args: string[] = []
  const after: Partial<UserInfo> = {}
  if (p.password_expire_min !== undefined && p.password_expire_min !== u?.passwordMin) {
    args.push('-m', String(p.password_expire_min))
    after.passwordMin = p.password_expire_min
  }
  if (p.password_expire_max !== undefined && p.password_expire_max !== u?.passwordMax) {
    args.push('-M', String(p.password_expire_max))
    after.passwordMax = p.password_expire_max
  }
  return args.length ? { argv: ['chage', ...args, '--', p.name], after } : undefined
}

export interface UserFacts {
  user: UserInfo
  /** the primary group (`group`), resolved */
  group?: GroupInfo
  /** a group named like the user, when creating without `group` (useradd would refuse to create it) */
  ownGroup?: GroupInfo
  /** useradd's default group (`useradd -D`), the primary group when `ownGroup` exists: Ansible then passes -N */
  defaultGroup?: GroupInfo
  /** the wanted home, when it differs from the current one */
  newHome?: PathStat
}

const passwdLine = (u: UserInfo) => (u.exists ? `${u.name}:x:${u.uid ?? '?'}:${u.gid ?? '?'}:${u.comment ?? ''}:${u.home ?? ''}:${u.shell ?? ''}\n` : '')

// skel copied and chowned like useradd --create-home; the paths are positional args
const mkHome = (home: string, name: string): Command =>
  shScript('mkdir -p -- "$1" && cp -a /etc/skel/. "$1"/ && chown -R -- "$2" "$1" && chmod 0755 "$1"', home, `${name}:`)

const setPassword = (name: string, hash: string): Command => ({ argv: ['chpasswd', '-e'], stdin: `${name}:${hash}\n` })

function homeEffect(home: string, name: string, group: string): FactEffect {
  const st: PathStat = { exists: true, type: 'directory', owner: name, group, mode: '0755' }
  return { fact: 'path.stat', key: home, value: st }
}

export function planUser(p: UserParams, f: UserFacts): Plan {
  const u = f.user
  if (p.state === 'absent') {
    if (!u.exists) return { kind: 'ok', reason: `user ${p.name} does not exist`, data: { name: p.name, state: 'absent' } }
    const effects: FactEffect[] = [{ fact: 'user.info', key: p.name, value: { exists: false } satisfies UserInfo }]
    if (p.remove && u.home) effects.push({ fact: 'path.stat', key: u.home, value: { exists: false } satisfies PathStat })
    const change: Change = {
      summary: `remove user ${p.name}${p.remove ? ` and its home ${u.home}` : ''}`,
      commands: [{ argv: ['userdel', ...(p.force ? ['--force'] : []), ...(p.remove ? ['--remove'] : []), '--', p.name] }],
      diff: { path: '/etc/passwd', before: passwdLine(u), after: '' },
      effects,
    }
    return { kind: 'change', changes: [change], data: { name: p.name, state: 'absent' } }
  }
  return u.exists ? planUpdate(p, u, f) : planCreate(p, f)
}

function primaryGroupName(p: UserParams, f: UserFacts): string {
  return f.group?.name ?? p.group ?? p.name
}

/** The account's primary group's name once the task has run (its ssh key's group). */
export function primaryGroupAfter(p: UserParams, f: UserFacts): string {
  if (!f.user.exists) return newPrimaryGroup(p, f).name
  return p.group !== undefined ? primaryGroupName(p, f) : (f.user.group ?? p.name)
}

/**
 * A new account's primary group: `group`, else one made of its name; but when a group of that name
 * already exists, Ansible's user module passes `-N` (no user group), so the account gets useradd's
 * default group (`users` on Debian), not the existing group.
 */
function newPrimaryGroup(p: UserParams, f: UserFacts): { flags: string[]; name: string; gid?: number } {
  if (p.group !== undefined) return { flags: ['--gid', p.group], name: primaryGroupName(p, f), gid: f.group?.gid }
  if (f.ownGroup?.exists) return { flags: ['--no-user-group'], name: f.defaultGroup?.name ?? 'users', gid: f.defaultGroup?.gid }
  return { flags: [], name: p.name }
}

function planCreate(p: UserParams, f: UserFacts): Plan {
  const argv = ['useradd']
  if (p.uid !== undefined) argv.push('--uid', String(p.uid), ...(p.non_unique ? ['--non-unique'] : []))
  const primary = newPrimaryGroup(p, f)
  argv.push(...primary.flags)
  if (p.groups?.length) argv.push('--groups', p.groups.join(','))
  if (p.home !== undefined) argv.push('--home-dir', p.home)
  if (p.expires !== undefined) argv.push('--expiredate', expireDate(p.expires))
  argv.push(p.create_home ? '--create-home' : '--no-create-home')
  if (p.create_home && p.skeleton !== undefined) argv.push('--skel', p.skeleton)
  if (p.create_home && p.umask !== undefined) argv.push('--key', `UMASK=${p.umask}`)
  if (p.system) argv.push('--system')
  if (p.shell !== undefined) argv.push('--shell', p.shell)
  if (p.comment !== undefined) argv.push('--comment', p.comment)
  argv.push('--', p.name)

  const group = primary.name
  const home = p.home ?? `/home/${p.name}`
  const after: UserInfo = {
    exists: true,
    name: p.name,
    uid: p.uid,
    gid: primary.gid,
    group,
    groups: [...(p.groups ?? [])],
    comment: p.comment ?? '',
    home,
    // Debian's /etc/default/useradd: SHELL=/bin/sh
    shell: p.shell ?? '/bin/sh',
    homeExists: p.create_home,
    passwordDigest: passwordDigest(p.password ?? '!'),
    // Debian's useradd leaves a new account without password locked ('!')
    locked: p.password === undefined || !!p.password_lock,
    expires: p.expires !== undefined ? expireDays(p.expires) : -1,
    ...chage(p, undefined)?.after,
  }
  const effects: FactEffect[] = [{ fact: 'user.info', key: p.name, value: after }]
  if (p.group === undefined && !f.ownGroup?.exists) {
    effects.push({ fact: 'group.info', key: p.name, value: { exists: true, name: p.name, members: [] } satisfies GroupInfo })
  }
  if (p.create_home) effects.push(homeEffect(home, p.name, group))
  const commands: Command[] = [{ argv }]
  if (p.password !== undefined) commands.push(setPassword(p.name, `${p.password_lock ? '!' : ''}${p.password}`))
  const aging = chage(p, undefined)
  if (aging) commands.push({ argv: aging.argv })
  commands.push(CREATED_IDS(p.name))
  const details = [p.shell && `shell ${p.shell}`, p.create_home && `home ${home}`, p.password !== undefined && 'a password'].filter(Boolean)
  return {
    kind: 'change',
    changes: [
      {
        summary: `create user ${p.name}${details.length ? ` with ${details.join(', ')}` : ''}`,
        commands,
        diff: { path: '/etc/passwd', before: '', after: passwdLine(after) },
        effects,
      },
    ],
    // Ansible's result of a new account; its uid and gid (`group`) are read once it is made (createdIds)
    data: {
      name: p.name,
      state: 'present',
      system: p.system,
      create_home: p.create_home,
      ...(p.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
      uid: p.uid,
      group: primary.gid,
      comment: after.comment,
      home,
      shell: after.shell,
      ...(p.groups !== undefined ? { groups: p.groups.join(',') } : {}),
    },
  }
}

const IDS_MARK = '--acplay-user-ids--'

/** After useradd: the new account's uid and gid, behind a marker (they are not known before it runs). */
const CREATED_IDS = (name: string): Command => shScript(`printf '%s\\n' "${IDS_MARK}"; id -u -- "$1"; id -g -- "$1"`, name)

/** The uid and gid (`group`, as Ansible's result has it) CREATED_IDS printed; undefined when it did not run. */
export function createdIds(stdout: string): { uid: number; group: number } | undefined {
  const at = stdout.lastIndexOf(`${IDS_MARK}\n`)
  if (at < 0) return undefined
  const [uid, gid] = stdout.slice(at + IDS_MARK.length + 1).split('\n')
  if (!/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) return undefined
  return { uid: Number(uid), group: Number(gid) }
}

function planUpdate(p: UserParams, u: UserInfo, f: UserFacts): Plan {
  const flags: string[] = []
  const attrs: Record<string, [string, string]> = {}
  const after: UserInfo = { ...u }
  const set = <K extends keyof UserInfo>(attr: string, key: K, flag: string, want: UserInfo[K] & (string | number)) => {
    if (u[key] === want) return
    attrs[attr] = [String(u[key] ?? ''), String(want)]
    flags.push(flag, String(want))
    after[key] = want
  }
  if (p.uid !== undefined) set('uid', 'uid', '--uid', p.uid)
  if (p.group !== undefined && f.group?.gid !== u.gid) {
    attrs.group = [u.group ?? '', primaryGroupName(p, f)]
    flags.push('--gid', p.group)
    after.group = primaryGroupName(p, f)
    after.gid = f.group?.gid
  }
  if (p.groups !== undefined) {
    const have = new Set(u.groups ?? [])
    const want = p.groups.filter((g) => g !== after.group)
    const missing = want.filter((g) => !have.has(g))
    const extra = p.append ? [] : [...have].filter((g) => !want.includes(g))
    if (missing.length || extra.length) {
      const result = p.append ? [...have, ...missing] : want
      attrs.groups = [[...have].join(','), result.join(',')]
      flags.push(...(p.append ? ['--append', '--groups', missing.join(',')] : ['--groups', want.join(',')]))
      after.groups = result
    }
  }
  if (p.uid !== undefined && p.non_unique && flags.includes('--uid')) flags.push('--non-unique')
  if (p.home !== undefined) set('home', 'home', '--home', p.home)
  if (p.move_home && flags.includes('--home')) flags.push('--move-home')
  if (p.expires !== undefined) {
    const cur = u.expires ?? -1
    const want = expireDays(p.expires)
    if (want < 0 ? cur >= 0 : cur < 0 || cur !== want) {
      attrs.expires = [cur < 0 ? 'never' : new Date(cur * 86400000).toISOString().slice(0, 10), want < 0 ? 'never' : expireDate(p.expires)]
      flags.push('--expiredate', expireDate(p.expires))
      after.expires = want
    }
  }
  if (p.shell !== undefined) set('shell', 'shell', '--shell', p.shell)
  if (p.comment !== undefined) set('comment', 'comment', '--comment', p.comment)

  const changes: Change[] = []
  if (flags.length) {
    changes.push({
      summary: `change user ${p.name}: ${Object.entries(attrs)
        .map(([k, [a, b]]) => `${k} ${a || "''"} -> ${b || "''"}`)
        .join(', ')}`,
      commands: [{ argv: ['usermod', ...flags, '--', p.name] }],
      diff: { path: '/etc/passwd', before: passwdLine(u), after: passwdLine(after), attrs },
      effects: [{ fact: 'user.info', key: p.name, value: after }],
    })
  }
  const home = after.home ?? `/home/${p.name}`
  // usermod --move-home brings the old home along: nothing to create
  const homeMissing = home === u.home ? !u.homeExists : f.newHome?.exists === false && !(p.move_home && u.homeExists)
  if (p.create_home && homeMissing) {
    after.homeExists = true
    changes.push({
      summary: `create home directory ${home} of user ${p.name}`,
      commands: [mkHome(home, p.name)],
      effects: [{ fact: 'user.info', key: p.name, value: after }, homeEffect(home, p.name, after.group ?? p.name)],
    })
  }
  const newPassword = p.password !== undefined && p.update_password === 'always' && u.passwordDigest !== passwordDigest(p.password)
  if (newPassword) {
    after.passwordDigest = passwordDigest(p.password!)
    // as Ansible: a new hash is locked only with password_lock (it replaces -L/-U)
    after.locked = !!p.password_lock
    // no diff and no hash in the summary: the password is a secret
    changes.push({
      summary: `set the password of user ${p.name}${p.password_lock ? ' (locked)' : ''}`,
      commands: [setPassword(p.name, `${p.password_lock ? '!' : ''}${p.password}`)],
      effects: [{ fact: 'user.info', key: p.name, value: after }],
    })
  } else if (p.password_lock !== undefined && p.password_lock !== u.locked) {
    after.locked = p.password_lock
    changes.push({
      summary: `${p.password_lock ? 'lock' : 'unlock'} the password of user ${p.name}`,
      commands: [{ argv: ['usermod', p.password_lock ? '--lock' : '--unlock', '--', p.name] }],
      effects: [{ fact: 'user.info', key: p.name, value: after }],
    })
  }
  const aging = chage(p, u)
  if (aging) {
    Object.assign(after, aging.after)
    changes.push({
      summary: `set the password aging of user ${p.name}: ${Object.entries(aging.after)
        .map(([k, v]) => `${k === 'passwordMin' ? 'min' : 'max'} ${v} days`)
        .join(', ')}`,
      commands: [{ argv: aging.argv }],
      effects: [{ fact: 'user.info', key: p.name, value: after }],
    })
  }
  // Ansible's result of an account that was there: `group` is the gid, `groups` as given, joined
  const data = {
    name: p.name,
    state: 'present',
    append: p.append,
    move_home: p.move_home ?? false,
    ...(p.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
    uid: after.uid,
    group: after.gid,
    comment: after.comment ?? '',
    home,
    shell: after.shell,
    ...(p.groups !== undefined ? { groups: p.groups.join(',') } : {}),
  }
  if (changes.length) return { kind: 'change', changes, data }
  const pw = p.password !== undefined ? (p.update_password === 'always' ? ', password up to date' : ', password left as is (update_password: on_create)') : ''
  return { kind: 'ok', reason: `user ${p.name} exists (uid ${u.uid}, group ${u.group}, home ${u.home}, shell ${u.shell}${pw})`, data }
}
