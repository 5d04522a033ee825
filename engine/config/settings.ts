/**
 * The ansible.cfg settings acplay reads, by Ansible's names (ansible/config/base.yml), and how a
 * value is found: its environment variable (when set, not empty), else its `[section] key` in the
 * ansible.cfg in effect, else the default. The command line and play keywords sit above
 * this; their callers apply them (engine/cli/run-command.ts, engine/run/gate.ts).
 *
 * Values are typed as Ansible types them: booleans (True/False, yes/no, on/off, 1/0, case-insensitive),
 * integers, strings (surrounding quotes removed), paths (`~` and $VARS expanded; relative to the
 * ansible.cfg's directory, or to the current directory for an environment variable), comma-
 * separated path lists, colon-separated path specs, comma-separated lists. A value that is not of
 * its type is an E_CONFIG error naming the file:line and the key, or the environment variable.
 */
import { dirname, resolve } from 'node:path'
import { AcplayError } from '../errors.js'
import { DEFAULT_FORKS } from '../run/options.js'
import { expanduser, expandvars } from '../vars/py-path.js'
import { findAnsibleCfg, readAnsibleCfgEntries } from './ansible-cfg.js'

export type SettingType = 'bool' | 'int' | 'str' | 'path' | 'pathlist' | 'pathspec' | 'list'

export interface SettingDef {
  type: SettingType
  /** environment variables, the last set one wins */
  env: readonly string[]
  /** `[section] key` entries of ansible.cfg, the last given one wins */
  ini: readonly (readonly [section: string, key: string])[]
  /** null: no value (Ansible's None) */
  default: unknown
  /** the least an integer may be */
  min?: number
  /** the values a string may take (compared and given lower-cased) */
  choices?: readonly string[]
}

const defaults = (key: string) => [['defaults', key]] as const
const escalation = (key: string) => [['privilege_escalation', key]] as const
const becomePlugin = (method: string, key: 'flags' | 'executable') =>
  [
    ['privilege_escalation', key === 'flags' ? 'become_flags' : 'become_exe'],
    [`${method}_become_plugin`, key],
  ] as const
const sshConnection = (key: string) => [['ssh_connection', key]] as const

export const SETTINGS = {
  LOCALHOST_WARNING: { type: 'bool', env: ['ANSIBLE_LOCALHOST_WARNING'], ini: defaults('localhost_warning'), default: true },
  HOST_PATTERN_MISMATCH: {
    type: 'str',
    env: ['ANSIBLE_HOST_PATTERN_MISMATCH'],
    ini: [['inventory', 'host_pattern_mismatch']],
    default: 'warning',
    choices: ['warning', 'error', 'ignore'],
  },
  TRANSFORM_INVALID_GROUP_CHARS: {
    type: 'str',
    env: ['ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS'],
    ini: defaults('force_valid_group_names'),
    default: 'never',
    choices: ['always', 'never', 'ignore', 'silently'],
  },
  DEFAULT_HOST_LIST: { type: 'pathlist', env: ['ANSIBLE_INVENTORY'], ini: defaults('inventory'), default: ['/etc/ansible/hosts'] },
  // acplay's own default (Ansible's is 5): see bench/README.md (fleet)
  DEFAULT_FORKS: { type: 'int', env: ['ANSIBLE_FORKS'], ini: defaults('forks'), default: DEFAULT_FORKS, min: 1 },
  DEFAULT_REMOTE_USER: { type: 'str', env: ['ANSIBLE_REMOTE_USER'], ini: defaults('remote_user'), default: null },
  // the connection of hosts that set no ansible_connection (-c); acplay has ssh and local
  DEFAULT_TRANSPORT: { type: 'str', env: ['ANSIBLE_TRANSPORT'], ini: defaults('transport'), default: 'ssh', choices: ['ssh', 'smart', 'local'] },
  DEFAULT_PRIVATE_KEY_FILE: { type: 'path', env: ['ANSIBLE_PRIVATE_KEY_FILE'], ini: defaults('private_key_file'), default: null },
  DEFAULT_BECOME: { type: 'bool', env: ['ANSIBLE_BECOME'], ini: escalation('become'), default: false },
  BECOME_ALLOW_SAME_USER: { type: 'bool', env: ['ANSIBLE_BECOME_ALLOW_SAME_USER'], ini: escalation('become_allow_same_user'), default: false },
  DEFAULT_BECOME_METHOD: { type: 'str', env: ['ANSIBLE_BECOME_METHOD'], ini: escalation('become_method'), default: 'sudo' },
  // the become plugins' flags and exe (Ansible's sudo.py, su.py): the plugin's own name listed last wins
  SUDO_BECOME_FLAGS: { type: 'str', env: ['ANSIBLE_BECOME_FLAGS', 'ANSIBLE_SUDO_FLAGS'], ini: becomePlugin('sudo', 'flags'), default: null },
  SUDO_BECOME_EXE: { type: 'str', env: ['ANSIBLE_BECOME_EXE', 'ANSIBLE_SUDO_EXE'], ini: becomePlugin('sudo', 'executable'), default: null },
  SU_BECOME_FLAGS: { type: 'str', env: ['ANSIBLE_BECOME_FLAGS', 'ANSIBLE_SU_FLAGS'], ini: becomePlugin('su', 'flags'), default: null },
  SU_BECOME_EXE: { type: 'str', env: ['ANSIBLE_BECOME_EXE', 'ANSIBLE_SU_EXE'], ini: becomePlugin('su', 'executable'), default: null },
  DEFAULT_BECOME_USER: { type: 'str', env: ['ANSIBLE_BECOME_USER'], ini: escalation('become_user'), default: 'root' },
  DEFAULT_FORCE_HANDLERS: { type: 'bool', env: ['ANSIBLE_FORCE_HANDLERS'], ini: defaults('force_handlers'), default: false },
  ERROR_ON_MISSING_HANDLER: { type: 'bool', env: ['ANSIBLE_ERROR_ON_MISSING_HANDLER'], ini: defaults('error_on_missing_handler'), default: true },
  DEFAULT_ROLES_PATH: {
    type: 'pathspec',
    env: ['ANSIBLE_ROLES_PATH'],
    ini: defaults('roles_path'),
    default: ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'],
  },
  COLLECTIONS_PATHS: {
    type: 'pathspec',
    env: ['ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_PATH'],
    ini: [...defaults('collections_paths'), ...defaults('collections_path')],
    default: ['~/.ansible/collections', '/usr/share/ansible/collections'],
  },
  // custom modules' dirs or files (engine/library/sources.ts); Ansible skips the ones that do not exist
  DEFAULT_MODULE_PATH: { type: 'pathspec', env: ['ANSIBLE_LIBRARY'], ini: defaults('library'), default: null },
  DEFAULT_MANAGED_STR: { type: 'str', env: [], ini: defaults('ansible_managed'), default: 'Ansible managed' },
  DEFAULT_GATHERING: { type: 'str', env: ['ANSIBLE_GATHERING'], ini: defaults('gathering'), default: 'implicit', choices: ['implicit', 'explicit', 'smart'] },
  DEFAULT_GATHER_SUBSET: { type: 'list', env: ['ANSIBLE_GATHER_SUBSET'], ini: defaults('gather_subset'), default: null },
  DEFAULT_GATHER_TIMEOUT: { type: 'int', env: ['ANSIBLE_GATHER_TIMEOUT'], ini: defaults('gather_timeout'), default: null },
  DEFAULT_FACT_PATH: { type: 'str', env: ['ANSIBLE_FACT_PATH'], ini: defaults('fact_path'), default: null },
  CACHE_PLUGIN: { type: 'str', env: ['ANSIBLE_CACHE_PLUGIN'], ini: defaults('fact_caching'), default: 'memory' },
  CACHE_PLUGIN_CONNECTION: { type: 'str', env: ['ANSIBLE_CACHE_PLUGIN_CONNECTION'], ini: defaults('fact_caching_connection'), default: null },
  CACHE_PLUGIN_PREFIX: { type: 'str', env: ['ANSIBLE_CACHE_PLUGIN_PREFIX'], ini: defaults('fact_caching_prefix'), default: 'ansible_facts' },
  CACHE_PLUGIN_TIMEOUT: { type: 'int', env: ['ANSIBLE_CACHE_PLUGIN_TIMEOUT'], ini: defaults('fact_caching_timeout'), default: 86400 },
  // the ssh connection plugin's options (by their option names: they are not in Ansible's base table);
  // acplay takes the -o options it knows from them (engine/connection/settings.ts), under the command line's and the host's
  ssh_args: { type: 'str', env: ['ANSIBLE_SSH_ARGS'], ini: sshConnection('ssh_args'), default: null },
  ssh_common_args: { type: 'str', env: ['ANSIBLE_SSH_COMMON_ARGS'], ini: sshConnection('ssh_common_args'), default: null },
  ssh_extra_args: { type: 'str', env: ['ANSIBLE_SSH_EXTRA_ARGS'], ini: sshConnection('ssh_extra_args'), default: null },
  // a module's `warnings` and `deprecations` shown (engine/run/module-warnings.ts)
  ACTION_WARNINGS: { type: 'bool', env: ['ANSIBLE_ACTION_WARNINGS'], ini: defaults('action_warnings'), default: true },
  DEPRECATION_WARNINGS: { type: 'bool', env: ['ANSIBLE_DEPRECATION_WARNINGS'], ini: defaults('deprecation_warnings'), default: true },
  HOST_KEY_CHECKING: { type: 'bool', env: ['ANSIBLE_HOST_KEY_CHECKING'], ini: defaults('host_key_checking'), default: true },
  DEFAULT_TIMEOUT: { type: 'int', env: ['ANSIBLE_TIMEOUT'], ini: defaults('timeout'), default: 10 },
  // the `timeout` keyword's default (engine/run/module-env.ts); 0: no limit
  TASK_TIMEOUT: { type: 'int', env: ['ANSIBLE_TASK_TIMEOUT'], ini: defaults('task_timeout'), default: 0, min: 0 },
  // read for the connection variables a task sees (engine/run/module-env.ts); acplay's own shell is sh and sends no modules
  ANSIBLE_PIPELINING: {
    type: 'bool',
    env: ['ANSIBLE_PIPELINING'],
    ini: [
      ['defaults', 'pipelining'],
      ['connection', 'pipelining'],
    ],
    default: false,
  },
  DEFAULT_EXECUTABLE: { type: 'str', env: ['ANSIBLE_EXECUTABLE'], ini: defaults('executable'), default: '/bin/sh' },
  DEFAULT_MODULE_COMPRESSION: { type: 'str', env: [], ini: defaults('module_compression'), default: 'ZIP_DEFLATED' },
  INJECT_FACTS_AS_VARS: { type: 'bool', env: ['ANSIBLE_INJECT_FACT_VARS'], ini: defaults('inject_facts_as_vars'), default: true },
  DEFAULT_VAULT_PASSWORD_FILE: { type: 'path', env: ['ANSIBLE_VAULT_PASSWORD_FILE'], ini: defaults('vault_password_file'), default: null },
  DEFAULT_VAULT_IDENTITY_LIST: { type: 'list', env: ['ANSIBLE_VAULT_IDENTITY_LIST'], ini: defaults('vault_identity_list'), default: [] },
  // a string in Ansible's table, read as a boolean
  DEFAULT_VAULT_ID_MATCH: { type: 'bool', env: ['ANSIBLE_VAULT_ID_MATCH'], ini: defaults('vault_id_match'), default: false },
  DEFAULT_VAULT_ENCRYPT_IDENTITY: { type: 'str', env: ['ANSIBLE_VAULT_ENCRYPT_IDENTITY'], ini: defaults('vault_encrypt_identity'), default: null },
  DEFAULT_ASK_VAULT_PASS: { type: 'bool', env: ['ANSIBLE_ASK_VAULT_PASS'], ini: defaults('ask_vault_pass'), default: false },
} as const satisfies Record<string, SettingDef>

export type SettingName = keyof typeof SETTINGS

type ValueOf<T extends SettingType> = T extends 'bool' ? boolean : T extends 'int' ? number : T extends 'str' | 'path' ? string : string[]
/** A setting's value; undefined where Ansible has None. */
export type SettingValue<N extends SettingName> = ValueOf<(typeof SETTINGS)[N]['type']> | undefined

/** Where settings come from: the ansible.cfg in effect (if any) and the environment. */
export interface SettingSource {
  cfgFile?: string
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/** The source for a playbook in `baseDir`: the ansible.cfg acplay finds for it, the process's environment. */
export const sourceFor = (baseDir: string): SettingSource => ({ cfgFile: findAnsibleCfg(baseDir) })

export const isSettingName = (name: string): name is SettingName => Object.hasOwn(SETTINGS, name)

/** `name`'s value: environment > ansible.cfg > default, typed. */
export function setting<N extends SettingName>(name: N, src: SettingSource): SettingValue<N> {
  const def: SettingDef = SETTINGS[name]
  const given = givenSetting(name, src)
  if (given !== undefined || def.default === null) return given
  if (!Array.isArray(def.default)) return def.default as SettingValue<N>
  // a fresh list each time: callers may change theirs
  const cwd = src.cwd ?? process.cwd()
  return (def.type.startsWith('path') ? def.default.map((p: string) => resolvePath(p, cwd, src.env)) : [...def.default]) as SettingValue<N>
}

/** `name`'s value where the environment or ansible.cfg gives one, else undefined (a plugin's own default applies). */
export function givenSetting<N extends SettingName>(name: N, src: SettingSource): SettingValue<N> {
  const def: SettingDef = SETTINGS[name]
  const env = src.env ?? process.env
  // of several names, the last one given wins (Ansible's _loop_entries: ANSIBLE_COLLECTIONS_PATH over ..._PATHS)
  const fromEnv = [...def.env].reverse().find((v) => env[v] !== undefined && env[v] !== '')
  if (fromEnv) return typed(def, env[fromEnv]!, { baseDir: src.cwd ?? process.cwd(), env, what: fromEnv, where: {} }) as SettingValue<N>
  const sections = src.cfgFile ? readAnsibleCfgEntries(src.cfgFile) : {}
  const fromCfg = [...def.ini].reverse().find(([section, key]) => sections[section]?.[key] !== undefined)
  if (!fromCfg) return undefined
  const [section, key] = fromCfg
  const entry = sections[section]![key]!
  const where = { file: src.cfgFile, line: entry.line }
  return typed(def, entry.value, { baseDir: dirname(src.cfgFile!), env, what: `[${section}] ${key}`, where }) as SettingValue<N>
}

interface Origin {
  baseDir: string
  env: NodeJS.ProcessEnv
  /** the key or environment variable, for errors */
  what: string
  where: { file?: string; line?: number }
}

const TRUE = new Set(['true', 'yes', 'on', '1', 'y', 't'])
const FALSE = new Set(['false', 'no', 'off', '0', 'n', 'f'])

/** A raw value as the setting's type (Ansible's ensure_type), or an E_CONFIG error naming where it came from. */
export function typed(def: Pick<SettingDef, 'type' | 'min' | 'choices'>, raw: string, origin: Origin): unknown {
  const v = raw.trim()
  const bad = (want: string) => new AcplayError('E_CONFIG', `${origin.what}: '${v}' is not ${want}`, origin.where)
  const items = (sep: string) =>
    v
      .split(sep)
      .map((x) => x.trim())
      .filter(Boolean)
  switch (def.type) {
    case 'bool': {
      const low = v.toLowerCase()
      if (TRUE.has(low)) return true
      if (FALSE.has(low)) return false
      throw bad('a boolean (True/False, yes/no, on/off, 1/0)')
    }
    case 'int':
      if (!/^[+-]?\d+$/.test(v)) throw bad('an integer')
      if (def.min !== undefined && Number(v) < def.min) throw bad(`an integer of at least ${def.min}`)
      return Number(v)
    case 'str': {
      const str = unquote(v)
      if (!def.choices) return str
      if (!def.choices.includes(str.toLowerCase())) throw bad(`one of ${def.choices.join(', ')}`)
      return str.toLowerCase()
    }
    case 'path':
      return resolvePath(v, origin.baseDir, origin.env)
    case 'pathlist':
      return items(',').map((p) => resolvePath(p, origin.baseDir, origin.env))
    case 'pathspec':
      return items(':').map((p) => resolvePath(p, origin.baseDir, origin.env))
    case 'list':
      return items(',').map(unquote)
  }
}

/** Surrounding quotes removed, as Ansible's unquote. */
const unquote = (s: string) => (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1) : s)

/** Ansible's unfrackpath: `~` and $VARS expanded, made absolute from `baseDir`. */
export function resolvePath(p: string, baseDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(baseDir, expandvars(expanduser(p), env))
}
