/**
 * Ansible's type='path' rule (AnsibleModule's check_type_path: os.path.expanduser(os.path.expandvars(v))
 * on the host), applied once for every module by the schema (modules/schema.ts, expandPathArgs):
 * which arguments are host paths, what each value becomes against the host's environment and
 * password database, and that a value without ~ or $ costs no read at all.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { builtinModules } from '../../../modules/index.js'
import { expandPathArgs, hostPathsOf, type ParamSpecs, validateParams } from '../../../modules/schema.js'
import type { Fact } from '../../../modules/types.js'

const ENV = 'HOME=/home/deploy/\0USER=deploy\0APP=/srv/app\0EMPTY=\0'
const USERS: Record<string, string> = { deploy: '/home/deploy', postgres: '/var/lib/postgresql', rooty: '/' }

/** A host answering the environment and getent reads; `reads` lists what was asked. */
function host(env = ENV) {
  const reads: string[] = []
  return {
    reads,
    async fact<T, A extends unknown[]>(f: Fact<T, A>, ...args: A): Promise<T> {
      reads.push([f.name, ...args].join(' '))
      if (f.name === 'run.environ') return f.parse({ rc: 0, stdout: env, stderr: '' }, ...args)
      if (f.name === 'run.home') return f.parse({ rc: 0, stdout: '/root\n', stderr: '' }, ...args)
      if (f.name === 'user.home') {
        const home = USERS[args[0] as string]
        return f.parse(home === undefined ? { rc: 3, stdout: '', stderr: '' } : { rc: 0, stdout: `${home}\n`, stderr: '' }, ...args)
      }
      throw new Error(`unexpected read ${f.name}`)
    },
  }
}

const spec = {
  name: 'demo',
  params: {
    path: { type: 'path', description: '' },
    paths: { type: 'list', elements: 'path', description: '' },
    names: { type: 'list', elements: 'str', description: '' },
    text: { type: 'str', description: '' },
    src: { type: 'path', controller: 'remote_src', description: '' },
    remote_src: { type: 'bool', default: false, description: '' },
    tpl: { type: 'path', controller: true, description: '' },
    dest: { type: 'path', userTilde: 'remote_src', description: '' },
  } satisfies ParamSpecs,
}

const expand = async (args: Record<string, unknown>, h = host()) => expandPathArgs(spec, validateParams(spec, args), h)

describe('path arguments expanded on the host (Ansible type=path)', () => {
  it('~, ~/x, ~user/x from HOME and the password database; $VAR and ${VAR} from the environment', async () => {
    const cases: [string, string][] = [
      ['~', '/home/deploy'],
      ['~/', '/home/deploy/'],
      ['~/.bashrc', '/home/deploy/.bashrc'],
      ['~postgres/.pgpass', '/var/lib/postgresql/.pgpass'],
      ['~postgres', '/var/lib/postgresql'],
      ['~rooty/x', '/x'],
      ['~rooty', '/'],
      ['$APP/current', '/srv/app/current'],
      ['${APP}/current', '/srv/app/current'],
      ['$HOME/x', '/home/deploy//x'],
      ['$EMPTY/x', '/x'],
      // unknown names and users stay as written: a relative path, as Python's functions leave them
      ['$NOPE/x', '$NOPE/x'],
      ['~nobody-here/x', '~nobody-here/x'],
      // expandvars first, then expanduser
      ['~$USER/x', '/home/deploy/x'],
      // only a leading ~ is a home
      ['/srv/~/x', '/srv/~/x'],
    ]
    for (const [given, want] of cases) assert.equal((await expand({ path: given })).path, want, given)
  })

  it('a path without ~ or $ costs no read; several that need one share one read of the environment', async () => {
    const h = host()
    const v = validateParams(spec, { path: '/etc/x', paths: ['/a', 'b'], text: '~' })
    assert.equal(await expandPathArgs(spec, v, h), v)
    assert.deepEqual(h.reads, [])
    const out = await expand({ path: '~/a', paths: ['~/b', '/c', '$APP'] }, h)
    assert.deepEqual(out.paths, ['/home/deploy/b', '/c', '/srv/app'])
    assert.deepEqual(h.reads, ['run.environ'])
  })

  it('every element of a list of paths; not a str argument, nor a path on the controller', async () => {
    const out = await expand({ paths: ['~/a', '~postgres'], names: ['~/a'], text: '~/a', src: '~/files/x', tpl: '~/t.j2' })
    assert.deepEqual(out.paths, ['/home/deploy/a', '/var/lib/postgresql'])
    assert.deepEqual(out.names, ['~/a'])
    assert.equal(out.text, '~/a')
    assert.equal(out.src, '~/files/x', "copy's src is on the controller (found there) unless remote_src")
    assert.equal(out.tpl, '~/t.j2')
    assert.equal((await expand({ src: '~/files/x', remote_src: true })).src, '/home/deploy/files/x')
  })

  it('HOME unset: ~ is the home of the user the task runs as (the password database), as Python falls back', async () => {
    const h = host('USER=root\0')
    assert.equal((await expand({ path: '~/x' }, h)).path, '/root/x')
    assert.deepEqual(h.reads, ['run.environ', 'run.home'])
  })

  it("copy's dest: ~ is the task user's home in the password database (Ansible's action plugin), unless remote_src", async () => {
    // HOME says /home/deploy; the password database says /root for the user the task runs as
    const h = host()
    assert.equal((await expand({ dest: '~/.bashrc' }, h)).dest, '/root/.bashrc')
    assert.deepEqual(h.reads, ['run.home'], 'no read of the environment for it')
    assert.equal((await expand({ dest: '~' })).dest, '/root')
    assert.equal((await expand({ dest: '~postgres/x' })).dest, '/var/lib/postgresql/x')
    assert.equal((await expand({ dest: '~/$APP' })).dest, '/root//srv/app')
    assert.equal((await expand({ dest: '~/.bashrc', remote_src: true })).dest, '/home/deploy/.bashrc')
  })

  it("the modules' host paths are the options Ansible declares type='path' (or elements='path'), less those on the controller", () => {
    const all = (name: string, values: Record<string, unknown>) => {
      const mod = builtinModules[name]!
      return hostPathsOf(mod.params, values).map(([n, i]) => (i === undefined ? n : `${n}[${i}]`))
    }
    const every = (name: string) => Object.fromEntries(Object.entries(builtinModules[name]!.params).map(([n, d]) => [n, d.type === 'list' ? ['x'] : 'x']))
    const expected: Record<string, string[]> = {
      copy: ['dest'],
      template: ['dest'],
      lineinfile: ['path'],
      blockinfile: ['path'],
      replace: ['path'],
      ini_file: ['path'],
      stat: ['path'],
      file: ['path', 'src'],
      command: ['chdir', 'creates', 'removes'],
      shell: ['chdir', 'creates', 'removes'],
      get_url: ['client_cert', 'client_key', 'dest', 'tmp_dest'],
      unarchive: ['dest', 'creates'],
      git: ['dest', 'key_file', 'executable', 'archive', 'separate_git_dir'],
      pip: ['virtualenv', 'virtualenv_command', 'executable', 'chdir'],
      authorized_key: ['path'],
      known_hosts: ['path'],
      find: ['paths[0]'],
      archive: ['path[0]', 'dest', 'exclude_path[0]', 'exclusion_patterns[0]'],
      fetch: ['src'],
      slurp: ['src'],
      synchronize: [],
      raw: [],
      user: ['home', 'ssh_key_file'],
    }
    for (const [name, want] of Object.entries(expected)) assert.deepEqual(all(name, every(name)).sort(), [...want].sort(), name)
    // with remote_src, src is the host's
    assert.deepEqual(all('copy', { dest: '/x', src: 'y', remote_src: true }).sort(), ['dest', 'src'])
    assert.deepEqual(all('assemble', { dest: '/x', src: 'y', remote_src: true }).sort(), ['dest', 'src'])
    assert.deepEqual(all('assemble', { dest: '/x', src: 'y', remote_src: false }), ['dest'])
  })
})
