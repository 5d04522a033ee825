/** Manage local user accounts with useradd/usermod/userdel (Debian's shadow tools); see user/plan.ts. */
import { ModuleFailure } from '../engine/errors.js'
import { notYet } from './schema.js'
import { defineModule } from './types.js'
import { userInfo } from './facts/user.js'
import { checkAccountName, groupInfo, useraddDefaultGroup } from './facts/group.js'
import { pathStat } from './facts/path.js'
import { createdIds, planUser, primaryGroupAfter, type UserFacts } from './user/plan.js'
import { generatedKey, keyPath, planSshKey, sshKeyInfo, withSshKey } from './user/ssh-key.js'

/** passwd fields cannot hold ':' or newlines; reject rather than corrupt /etc/passwd. */
function checkField(name: string, v: string | undefined): void {
  if (v !== undefined && /[:\n\r\0]/.test(v)) throw new ModuleFailure(`argument '${name}' must not contain ':', newlines or NUL: ${JSON.stringify(v)}`)
}

export const user = defineModule({
  name: 'user',
  summary: 'Manage user accounts',
  description:
    'Creates, changes or removes a local user. Reads the account in one round trip (passwd entry, groups, home, ' +
    'a digest of the shadow hash); the password hash is set through chpasswd on stdin, never on a command line.',
  params: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'the user name' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'whether the account should exist' },
    uid: { type: 'int', description: 'the user id' },
    group: {
      type: 'str',
      description:
        'primary group (name or gid); default: a new group named like the user; the default group of useradd (`users`) when a group of that name already exists',
    },
    groups: { type: 'list', elements: 'str', description: 'supplementary groups; an empty list removes all (unless append)' },
    append: { type: 'bool', default: false, description: 'add to `groups` without removing other supplementary groups' },
    home: { type: 'path', description: 'home directory (default /home/NAME); changing it does not move files' },
    create_home: { type: 'bool', default: true, aliases: ['createhome'], description: 'create the home directory (from /etc/skel) if missing' },
    system: { type: 'bool', default: false, description: 'create a system account (only on creation)' },
    shell: { type: 'str', description: 'login shell' },
    password: { type: 'str', secret: true, description: 'a crypt(3) hash (e.g. from mkpasswd); never shown' },
    update_password: {
      type: 'str',
      default: 'always',
      choices: ['always', 'on_create'],
      description: 'on_create: set the password only when creating the user',
    },
    remove: { type: 'bool', default: false, description: 'with state=absent: also remove the home directory and mail spool' },
    comment: { type: 'str', description: 'the GECOS field' },
    password_expire_min: { type: 'int', description: 'minimum days between password changes (chage -m)' },
    password_expire_max: { type: 'int', description: 'maximum days a password is valid (chage -M)' },
    expires: { type: 'raw', description: 'account expiry, seconds since the epoch (a date is compared by its day); negative: never expires' },
    password_lock: { type: 'bool', description: 'lock (usermod -L) or unlock (-U) the password' },
    non_unique: { type: 'bool', default: false, description: 'allow a uid another user already has (with uid)' },
    force: {
      type: 'bool',
      default: false,
      description:
        'with state=absent: remove the user even while logged in (userdel --force); with generate_ssh_key: make a new key pair over the existing one',
    },
    skeleton: { type: 'str', description: 'the skeleton directory a new home is filled from (useradd -k; with create_home)' },
    move_home: { type: 'bool', default: false, description: 'when home changes, move the old home there (usermod -m)' },
    umask: { type: 'str', description: 'the umask of a new home (useradd -K UMASK=; with create_home)' },
    seuser: notYet({ type: 'str' }, 'The SELinux user.', "acplay's targets (Debian, Ubuntu) run without SELinux, where useradd -Z fails"),
    local: notYet({ type: 'bool' }, 'Use luseradd and co. (local accounts only).'),
    login_class: notYet({ type: 'str' }, 'The login class (BSD).', 'a BSD option; acplay targets Linux'),
    hidden: notYet({ type: 'bool' }, 'Hide the user from the login window (macOS).', 'a macOS option; acplay targets Linux'),
    profile: notYet({ type: 'str' }, 'The profile (illumos/Solaris).', 'an illumos/Solaris option; acplay targets Linux'),
    authorization: notYet({ type: 'str' }, 'The authorizations (illumos/Solaris).', 'an illumos/Solaris option; acplay targets Linux'),
    role: notYet({ type: 'str' }, 'The role (illumos/Solaris).', 'an illumos/Solaris option; acplay targets Linux'),
    generate_ssh_key: {
      type: 'bool',
      default: false,
      description: "make an SSH key pair for the user with the host's ssh-keygen when there is none (an existing one is kept unless `force`)",
    },
    ssh_key_bits: { type: 'int', default: 0, description: "the generated key's bits (0: ssh-keygen's default for the type)" },
    ssh_key_type: { type: 'str', default: 'rsa', description: 'the generated key type (ssh-keygen -t)' },
    ssh_key_file: { type: 'path', description: 'the private key file; relative: under the home (default .ssh/id_<type>)' },
    ssh_key_comment: { type: 'str', description: "the generated key's comment (default: 'ansible-generated on <host name>', as Ansible's)" },
    ssh_key_passphrase: notYet(
      { type: 'str', secret: true },
      'The passphrase of the generated key.',
      'ssh-keygen takes a passphrase only on its command line or a terminal; generate a key without one, or with community.crypto.openssh_keypair',
    ),
  },
  returns: {
    name: 'the user name',
    uid: 'the user id (unknown in check mode for a user not yet created without `uid`)',
    home: 'the home directory',
    shell: 'the login shell',
    group: "the primary group's gid, as Ansible's (read after useradd for a new account)",
    comment: 'the GECOS field',
    state: 'present or absent',
    ssh_key_file: 'with generate_ssh_key: the private key file',
    ssh_fingerprint: 'with generate_ssh_key: `ssh-keygen -l` of the key',
    ssh_public_key: 'with generate_ssh_key: the public key',
  },
  examples: `
- name: Airflow's service user (production guide: useradd --shell=/bin/false --create-home astro)
  user:
    name: astro
    shell: /bin/false
    create_home: true

- name: Remove an old account and its home
  user: { name: olduser, state: absent, remove: true }
`,
  async plan(p, ctx) {
    const bad = checkAccountName('user', p.name)
    if (bad) throw new ModuleFailure(bad)
    for (const k of ['comment', 'home', 'shell', 'group', 'password'] as const) checkField(k, p[k])
    for (const g of p.groups ?? []) checkField('groups', g)
    if (p.home !== undefined && !p.home.startsWith('/')) throw new ModuleFailure(`argument 'home' must be an absolute path, got ${JSON.stringify(p.home)}`)
    if (p.uid !== undefined && p.uid < 0) throw new ModuleFailure(`argument 'uid' must not be negative`)
    if (p.umask !== undefined && !/^0?[0-7]{3}$/.test(p.umask))
      throw new ModuleFailure(`argument 'umask' must be an octal umask such as 0027, got ${JSON.stringify(p.umask)}`)
    checkField('skeleton', p.skeleton)
    let expires: number | undefined
    if (p.expires !== undefined) {
      expires = Number(p.expires)
      if (!Number.isFinite(expires)) throw new ModuleFailure(`Invalid value for 'expires' ${JSON.stringify(p.expires)}: a number of seconds since the epoch`)
    }

    // The no-op path reads one fact; the group reads only happen when groups are named or on creation.
    const names = [...(p.group !== undefined ? [p.group] : []), ...(p.groups ?? [])]
    const [u, ...groups] = await Promise.all([ctx.fact(userInfo, p.name), ...(p.state === 'present' ? names.map((g) => ctx.fact(groupInfo, g)) : [])])
    const facts: UserFacts = { user: u }
    if (p.state === 'present') {
      names.forEach((g, i) => {
        if (!groups[i]!.exists) throw new ModuleFailure(`group ${g} does not exist (create it first, e.g. with the group module)`)
      })
      if (p.group !== undefined) facts.group = groups[0]
      if (!u.exists && p.group === undefined) {
        facts.ownGroup = await ctx.fact(groupInfo, p.name)
        if (facts.ownGroup.exists) facts.defaultGroup = await ctx.fact(useraddDefaultGroup)
      }
      if (u.exists && p.home !== undefined && p.home !== u.home && p.create_home) facts.newHome = await ctx.fact(pathStat, p.home)
      const needsShadow =
        (p.password !== undefined && p.update_password === 'always') ||
        p.password_lock !== undefined ||
        expires !== undefined ||
        p.password_expire_min !== undefined ||
        p.password_expire_max !== undefined
      if (u.exists && needsShadow && u.passwordDigest === null) {
        throw new ModuleFailure(`cannot read the shadow entry of user ${p.name} (password, lock, expiry): /etc/shadow is not readable (run with become)`)
      }
    }
    const plan = planUser({ ...p, expires }, facts)
    if (p.state !== 'present' || !p.generate_ssh_key) return plan
    const home = String(plan.data?.home ?? u.home ?? `/home/${p.name}`)
    const file = keyPath(p, home)
    return withSshKey(plan, planSshKey(p, file, primaryGroupAfter({ ...p, expires }, facts), await ctx.fact(sshKeyInfo, file)))
  },
  // a new account's uid and gid, a key pair's fingerprint and public key join the result
  interpret: (p, out) => {
    if (out.rc !== 0) return undefined
    const data = { ...createdIds(out.stdout), ...(p.generate_ssh_key ? generatedKey(out.stdout) : undefined) }
    return Object.keys(data).length ? { failed: false, changed: true, data } : undefined
  },
})
