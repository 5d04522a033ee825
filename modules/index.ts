/**
 * The module registry: a plain object of built-in modules, plus Ansible's names for them
 * (FQCNs like ansible.builtin.copy, community.postgresql.postgresql_user, and each module's aliases).
 */
import { acl } from './acl.js'
import { alternatives } from './alternatives.js'
import { archive } from './archive.js'
import { apt } from './apt.js'
import { aptKey } from './apt-key.js'
import { ANSIBLE_MODULES, ROUTED_SHORT_NAMES } from './ansible-modules.js'
import { aptRepository } from './apt-repository.js'
import { assemble } from './assemble.js'
import { authorizedKey } from './authorized-key.js'
import { blockinfile } from './blockinfile.js'
import { capabilities } from './capabilities.js'
import { command } from './command.js'
import { copy } from './copy.js'
import { cron } from './cron.js'
import { deb822Repository } from './deb822-repository.js'
import { debconf } from './debconf.js'
import { dpkgDivert } from './dpkg-divert.js'
import { dpkgSelections } from './dpkg-selections.js'
import { expect } from './expect.js'
import { fetch } from './fetch.js'
import { file } from './file.js'
import { find } from './find.js'
import { getUrl } from './get-url.js'
import { getent } from './getent.js'
import { git } from './git.js'
import { gitConfigModule } from './git-config.js'
import { group } from './group.js'
import { hostname } from './hostname.js'
import { htpasswd } from './htpasswd.js'
import { iniFile } from './ini-file.js'
import { iptables } from './iptables.js'
import { kernelBlacklist } from './kernel-blacklist.js'
import { knownHosts } from './known-hosts.js'
import { lineinfile } from './lineinfile.js'
import { make } from './make.js'
import { localeGen } from './locale_gen.js'
import { modprobe } from './modprobe.js'
import { mount } from './mount.js'
import { npm } from './npm.js'
import { opensslCsr } from './openssl-csr.js'
import { opensslPrivatekey } from './openssl-privatekey.js'
import { opensshKeypair } from './openssh-keypair.js'
import { packageFacts } from './package_facts.js'
import { pamLimits } from './pam-limits.js'
import { pamd } from './pamd.js'
import { patch } from './patch.js'
import { ping } from './ping.js'
import { pip } from './pip.js'
import { raw } from './raw.js'
import { postgresDb } from './postgres/db.js'
import { postgresExt } from './postgres/ext.js'
import { postgresHba } from './postgres/hba.js'
import { postgresSet } from './postgres/set.js'
import { postgresUser } from './postgres/user.js'
import { replace } from './replace.js'
import { script } from './script.js'
import { service } from './service.js'
import { serviceFacts } from './service_facts.js'
import { setup } from './setup.js'
import { shell } from './shell.js'
import { slurp } from './slurp.js'
import { asyncStatus } from './async-status.js'
import { stat } from './stat.js'
import { sudoers } from './sudoers.js'
import { synchronize } from './synchronize.js'
import { systemd } from './systemd.js'
import { sysctlModule } from './sysctl.js'
import { tempfile } from './tempfile.js'
import { template } from './template.js'
import { timezone } from './timezone.js'
import type { ModuleSpec } from './types.js'
import { ufwModule } from './ufw.js'
import { unarchive } from './unarchive.js'
import { uri } from './uri.js'
import { user } from './user.js'
import { venv } from './venv.js'
import { waitFor } from './wait-for.js'
import { x509Certificate } from './x509-certificate.js'

const all = [
  acl,
  alternatives,
  archive,
  apt,
  aptKey,
  aptRepository,
  assemble,
  asyncStatus,
  authorizedKey,
  blockinfile,
  capabilities,
  command,
  copy,
  cron,
  deb822Repository,
  debconf,
  dpkgDivert,
  dpkgSelections,
  expect,
  fetch,
  file,
  find,
  getent,
  getUrl,
  git,
  gitConfigModule,
  group,
  hostname,
  htpasswd,
  iniFile,
  iptables,
  kernelBlacklist,
  knownHosts,
  lineinfile,
  localeGen,
  make,
  modprobe,
  mount,
  npm,
  opensslCsr,
  opensslPrivatekey,
  opensshKeypair,
  packageFacts,
  pamLimits,
  pamd,
  patch,
  ping,
  pip,
  postgresDb,
  postgresExt,
  postgresHba,
  postgresSet,
  postgresUser,
  raw,
  replace,
  script,
  service,
  serviceFacts,
  setup,
  shell,
  slurp,
  stat,
  sudoers,
  synchronize,
  systemd,
  sysctlModule,
  tempfile,
  template,
  timezone,
  ufwModule,
  unarchive,
  uri,
  user,
  venv,
  waitFor,
  x509Certificate,
] as ModuleSpec[]

export const builtinModules: Record<string, ModuleSpec> = Object.fromEntries(all.map((m) => [m.name, m]))

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'community.general.', 'community.postgresql.', 'ansible.posix.']

/** Every name a module answers to, mapped to its canonical name. */
export function moduleNames(registry: Record<string, ModuleSpec> = builtinModules): Map<string, string> {
  const names = new Map<string, string>()
  for (const [name, spec] of Object.entries(registry)) {
    for (const n of [name, ...(spec.aliases ?? [])]) names.set(n, name)
  }
  return names
}

/** The canonical name for `name` (short, alias or FQCN), or undefined. */
export function resolveModuleName(name: string, registry: Record<string, ModuleSpec> = builtinModules): string | undefined {
  const names = moduleNames(registry)
  if (names.has(name)) return names.get(name)
  for (const p of FQCN_PREFIXES) if (name.startsWith(p) && names.has(name.slice(p.length))) return names.get(name.slice(p.length))
  return undefined
}

let ansibleNames: { short: Set<string>; byCollection: Map<string, Set<string>> } | undefined

/** Ansible's short module names (for suggestions). */
export function ansibleModuleNames(): string[] {
  isAnsibleModule('')
  return [...ansibleNames!.short]
}

/**
 * Whether Ansible knows `name` as a module (short name, routed short name or FQCN of the
 * collections in ansible-modules.ts). A task naming one that acplay lacks loads, and fails only
 * where it would run.
 */
export function isAnsibleModule(name: string): boolean {
  ansibleNames ??= (() => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean)
    const byCollection = new Map(Object.entries(ANSIBLE_MODULES).map(([c, names]) => [c, new Set(words(names))]))
    return { short: new Set([...byCollection.get('ansible.builtin')!, ...words(ROUTED_SHORT_NAMES)]), byCollection }
  })()
  const n = name.replace(/^ansible\.legacy\./, 'ansible.builtin.')
  const dot = n.lastIndexOf('.')
  if (dot < 0) return ansibleNames.short.has(n)
  const collection = n.slice(0, dot)
  const short = n.slice(dot + 1)
  // ansible.builtin.X routes like the short name X
  return collection === 'ansible.builtin' ? ansibleNames.short.has(short) : !!ansibleNames.byCollection.get(collection)?.has(short)
}
