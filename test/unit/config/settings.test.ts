/** ansible.cfg settings: how a value is found (command line > environment > ansible.cfg > default), typed and checked. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import { toOptions, type Flags } from '../../../engine/cli/run-command.js'
import { findAnsibleCfg, readAnsibleCfgEntries } from '../../../engine/config/ansible-cfg.js'
import { givenSetting, setting } from '../../../engine/config/settings.js'
import { AcplayError } from '../../../engine/errors.js'
import { connectionFor } from '../../../engine/run/connections.js'

const P = mkdtempSync(join(tmpdir(), 'acplay-settings-'))
after(() => rmSync(P, { recursive: true, force: true }))
const ENV = ['ANSIBLE_CONFIG', 'ANSIBLE_FORKS', 'ANSIBLE_INVENTORY', 'ANSIBLE_REMOTE_USER', 'ANSIBLE_BECOME', 'ANSIBLE_BECOME_USER', 'ANSIBLE_PRIVATE_KEY_FILE']
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
})

let n = 0
/** An ansible.cfg with `text` in a fresh directory. */
function cfg(text: string): string {
  const dir = join(P, `p${n++}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'ansible.cfg'), text)
  return join(dir, 'ansible.cfg')
}

function configError(fn: () => unknown): AcplayError {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof AcplayError, String(e))
    assert.equal(e.code, 'E_CONFIG')
    return e
  }
  assert.fail('expected an E_CONFIG error')
}

const PROJECT = `[defaults]
inventory = ./hosts.ini, other/hosts.yml
Remote_User = deploy
private_key_file = ~/.ssh/deploy_ed25519
forks = 20 ; more than the default
host_key_checking = False

[privilege_escalation]
become = True
become_method = sudo
become_user = "app"
`

describe('ansible.cfg entries', () => {
  it('keys case-insensitive, values with their line, inline `;` comments dropped', () => {
    const file = cfg(PROJECT)
    const s = readAnsibleCfgEntries(file)
    assert.deepEqual(s.defaults!.remote_user, { value: 'deploy', line: 3 })
    assert.deepEqual(s.defaults!.forks, { value: '20', line: 5 })
    assert.equal(s.privilege_escalation!.become!.line, 9)
  })
})

describe('setting()', () => {
  it("types values as Ansible's base.yml does: paths from the file's dir and ~ expanded, ints, bools, unquoted strings", () => {
    const file = cfg(PROJECT)
    const dir = join(file, '..')
    const src = { cfgFile: file, env: {} }
    assert.deepEqual(setting('DEFAULT_HOST_LIST', src), [join(dir, 'hosts.ini'), join(dir, 'other/hosts.yml')])
    assert.equal(setting('DEFAULT_FORKS', src), 20)
    assert.equal(setting('DEFAULT_REMOTE_USER', src), 'deploy')
    assert.equal(setting('DEFAULT_PRIVATE_KEY_FILE', src), join(homedir(), '.ssh/deploy_ed25519'))
    assert.equal(setting('HOST_KEY_CHECKING', src), false)
    assert.equal(setting('DEFAULT_BECOME', src), true)
    assert.equal(setting('DEFAULT_BECOME_USER', src), 'app')
  })

  it('the environment wins over the file (paths from the current dir); an empty variable does not count', () => {
    const src = { cfgFile: cfg(PROJECT), env: { ANSIBLE_FORKS: '3', ANSIBLE_INVENTORY: 'a.ini,/etc/b.ini', ANSIBLE_BECOME_USER: '' }, cwd: '/srv' }
    assert.equal(setting('DEFAULT_FORKS', src), 3)
    assert.deepEqual(setting('DEFAULT_HOST_LIST', src), ['/srv/a.ini', '/etc/b.ini'])
    assert.equal(setting('DEFAULT_BECOME_USER', src), 'app')
  })

  it("defaults when neither says: Ansible's, and acplay's forks", () => {
    const src = { env: {} }
    assert.deepEqual(setting('DEFAULT_HOST_LIST', src), ['/etc/ansible/hosts'])
    assert.equal(setting('DEFAULT_REMOTE_USER', src), undefined)
    assert.equal(setting('DEFAULT_BECOME', src), false)
    assert.equal(setting('DEFAULT_BECOME_METHOD', src), 'sudo')
    assert.equal(setting('DEFAULT_BECOME_USER', src), 'root')
    assert.equal(setting('DEFAULT_FORKS', src), 10)
    assert.equal(setting('HOST_KEY_CHECKING', src), true)
  })

  it('of two names for one setting, the later one wins (collections_path over collections_paths)', () => {
    const file = cfg('[defaults]\ncollections_path = /new\ncollections_paths = /old\n')
    assert.deepEqual(setting('COLLECTIONS_PATHS', { cfgFile: file, env: {} }), ['/new'])
    assert.deepEqual(setting('COLLECTIONS_PATHS', { env: { ANSIBLE_COLLECTIONS_PATH: '/b', ANSIBLE_COLLECTIONS_PATHS: '/a' } }), ['/b'])
  })

  it("become_flags and become_exe per method, as Ansible's sudo and su plugins: the plugin's own section and variable win", () => {
    const file = cfg('[sudo_become_plugin]\nflags = -i\nexecutable = /opt/sudo\n[privilege_escalation]\nbecome_flags = "-H -S"\nbecome_exe = /opt/become\n')
    assert.equal(setting('SUDO_BECOME_FLAGS', { cfgFile: file, env: {} }), '-i')
    assert.equal(setting('SUDO_BECOME_EXE', { cfgFile: file, env: {} }), '/opt/sudo')
    assert.equal(setting('SU_BECOME_FLAGS', { cfgFile: file, env: {} }), '-H -S')
    assert.equal(setting('SU_BECOME_EXE', { cfgFile: file, env: {} }), '/opt/become')
    const env = { ANSIBLE_BECOME_FLAGS: '-l', ANSIBLE_SU_FLAGS: '-s /bin/sh' }
    assert.equal(setting('SU_BECOME_FLAGS', { cfgFile: file, env }), '-s /bin/sh')
    assert.equal(setting('SUDO_BECOME_FLAGS', { cfgFile: file, env }), '-l')
    assert.equal(setting('SUDO_BECOME_FLAGS', { env: {} }), undefined)
  })

  it('booleans: True/False, yes/no, on/off, 1/0 in any case; anything else names the file:line and key', () => {
    for (const [v, want] of [
      ['True', true],
      ['yes', true],
      ['ON', true],
      ['1', true],
      ['false', false],
      ['No', false],
      ['off', false],
      ['0', false],
    ] as const)
      assert.equal(setting('DEFAULT_BECOME', { cfgFile: cfg(`[privilege_escalation]\nbecome = ${v}\n`), env: {} }), want, v)
    const file = cfg('[defaults]\nforks = 5\n\n[privilege_escalation]\nbecome = maybe\n')
    const e = configError(() => setting('DEFAULT_BECOME', { cfgFile: file, env: {} }))
    assert.equal(e.describe(), `E_CONFIG: ${file}:5: [privilege_escalation] become: 'maybe' is not a boolean (True/False, yes/no, on/off, 1/0)`)
    assert.match(configError(() => setting('DEFAULT_BECOME', { env: { ANSIBLE_BECOME: 'sure' } })).message, /^ANSIBLE_BECOME: 'sure' is not a boolean/)
  })

  it('a setting with choices takes one of them (any case); another names the file:line', () => {
    assert.equal(setting('DEFAULT_GATHERING', { cfgFile: cfg('[defaults]\ngathering = Smart\n'), env: {} }), 'smart')
    const file = cfg('[defaults]\ngathering = lazy\n')
    assert.equal(
      configError(() => setting('DEFAULT_GATHERING', { cfgFile: file, env: {} })).describe(),
      `E_CONFIG: ${file}:2: [defaults] gathering: 'lazy' is not one of implicit, explicit, smart`,
    )
  })

  it("givenSetting: only what the environment or the file says (a plugin's own default applies otherwise)", () => {
    assert.equal(givenSetting('CACHE_PLUGIN_PREFIX', { env: {} }), undefined)
    assert.equal(setting('CACHE_PLUGIN_PREFIX', { env: {} }), 'ansible_facts')
    assert.equal(givenSetting('CACHE_PLUGIN_PREFIX', { env: { ANSIBLE_CACHE_PLUGIN_PREFIX: 'f_' } }), 'f_')
  })

  it('lists: comma-separated, trimmed, quotes removed', () => {
    const file = cfg(`[defaults]\ngather_subset = !all, "network"\nvault_identity_list = dev@dev.pw , prod@prompt\n`)
    assert.deepEqual(setting('DEFAULT_GATHER_SUBSET', { cfgFile: file, env: {} }), ['!all', 'network'])
    assert.deepEqual(setting('DEFAULT_VAULT_IDENTITY_LIST', { cfgFile: file, env: {} }), ['dev@dev.pw', 'prod@prompt'])
    assert.equal(setting('DEFAULT_GATHER_SUBSET', { env: {} }), undefined)
  })

  it('forks must be a positive integer', () => {
    const file = cfg('[defaults]\nforks = many\n')
    assert.equal(
      configError(() => setting('DEFAULT_FORKS', { cfgFile: file, env: {} })).describe(),
      `E_CONFIG: ${file}:2: [defaults] forks: 'many' is not an integer`,
    )
    assert.match(configError(() => setting('DEFAULT_FORKS', { env: { ANSIBLE_FORKS: '0' } })).message, /'0' is not an integer of at least 1/)
  })
})

const flags = (f: Partial<Flags> = {}): Flags => ({ inventory: [], tags: [], skipTags: [], extraVars: [], verbose: 0, ...f })

describe('the run options: the command line, else the setting', () => {
  it('ansible.cfg fills what the command line leaves out', () => {
    const file = cfg(PROJECT)
    process.env.ANSIBLE_CONFIG = file
    const dir = join(file, '..')
    const o = toOptions(join(dir, 'site.yml'), flags())
    assert.deepEqual(o.inventory, [join(dir, 'hosts.ini'), join(dir, 'other/hosts.yml')])
    assert.deepEqual(
      [o.forks, o.user, o.privateKey, o.become, o.becomeUser, o.becomeMethod],
      [20, 'deploy', join(homedir(), '.ssh/deploy_ed25519'), true, 'app', 'sudo'],
    )
  })

  it('the command line wins over the environment, which wins over ansible.cfg', () => {
    process.env.ANSIBLE_CONFIG = cfg(PROJECT)
    process.env.ANSIBLE_REMOTE_USER = 'ops'
    process.env.ANSIBLE_FORKS = '7'
    const env = toOptions('site.yml', flags())
    assert.deepEqual([env.user, env.forks], ['ops', 7])
    const cli = toOptions('site.yml', flags({ inventory: ['x.ini'], forks: 2, user: 'me', privateKey: '/k', becomeUser: 'pg' }))
    assert.deepEqual([cli.inventory, cli.forks, cli.user, cli.privateKey, cli.becomeUser], [['x.ini'], 2, 'me', '/k', 'pg'])
  })

  it('no ansible.cfg: /etc/ansible/hosts, no user or key, no become', () => {
    process.env.ANSIBLE_CONFIG = join(P, 'none.cfg')
    const o = toOptions(join(P, 'site.yml'), flags())
    assert.deepEqual([o.inventory, o.user, o.privateKey, o.become, o.becomeUser], [['/etc/ansible/hosts'], undefined, undefined, false, 'root'])
  })

  it("the login user: the host's ansible_user, else the run's (remote_user), and its key with ~ expanded", () => {
    const opts = { playbook: join(P, 'site.yml'), inventory: [], user: 'deploy', privateKey: '/cfg/key' }
    assert.equal(connectionFor('web1', {}, opts).sshTarget!.user, 'deploy')
    assert.equal(connectionFor('web1', { ansible_user: 'admin' }, opts).sshTarget!.user, 'admin')
    assert.equal(connectionFor('web1', {}, opts).sshTarget!.privateKeyFile, '/cfg/key')
    assert.equal(connectionFor('web1', { ansible_ssh_private_key_file: '~/.ssh/k' }, opts).sshTarget!.privateKeyFile, join(homedir(), '.ssh/k'))
  })
})

describe('which ansible.cfg', () => {
  it("Ansible's order: $ANSIBLE_CONFIG, ./ansible.cfg, (acplay: beside the playbook), ~/.ansible.cfg, /etc/ansible/ansible.cfg", () => {
    const root = join(P, `find${n++}`)
    const [cwd, book, home, etc] = [join(root, 'cwd'), join(root, 'book'), join(root, 'home'), join(root, 'etc')] as const
    for (const d of [cwd, book, home, etc]) mkdirSync(d, { recursive: true })
    delete process.env.ANSIBLE_CONFIG
    const find = () => findAnsibleCfg(book, cwd, home, etc)
    assert.equal(find(), undefined)
    writeFileSync(join(etc, 'ansible.cfg'), '')
    assert.equal(find(), join(etc, 'ansible.cfg'))
    writeFileSync(join(home, '.ansible.cfg'), '')
    assert.equal(find(), join(home, '.ansible.cfg'))
    writeFileSync(join(book, 'ansible.cfg'), '')
    assert.equal(find(), join(book, 'ansible.cfg'))
    writeFileSync(join(cwd, 'ansible.cfg'), '')
    assert.equal(find(), join(cwd, 'ansible.cfg'))
    process.env.ANSIBLE_CONFIG = join(etc, 'ansible.cfg')
    assert.equal(find(), join(etc, 'ansible.cfg'))
  })
})
