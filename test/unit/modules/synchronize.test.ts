import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pushEffects, rshWord, rsyncArgv } from '../../../modules/synchronize.js'

const p = {
  src: '/c/dags/',
  dest: '/srv/dags/',
  mode: 'push',
  delete: true,
  archive: true,
  checksum: false,
  compress: true,
  existing_only: false,
  dirs: false,
  copy_links: false,
  set_remote_user: true,
  rsync_timeout: 0,
  rsync_opts: ['--exclude=.git'],
  ssh_connection_multiplexing: false,
  partial: false,
  verify_host: false,
  delay_updates: true,
  perms: false,
}
const ctx = {
  ssh: { address: '10.0.0.5', port: 2222, user: 'deploy', privateKeyFile: '/k/id', hostKeyChecking: true, knownHostsFile: '/k/known hosts' },
  become: 'root',
  vars: {},
  findFile: (x: string) => x,
}

describe('synchronize', () => {
  it("builds Ansible's rsync argv with the connection's own ssh target, key and known_hosts", () => {
    const { argv } = rsyncArgv(p, ctx, true)
    assert.deepEqual(argv, [
      'rsync',
      '--delay-updates',
      '-F',
      '--compress',
      '--dry-run',
      '--delete-after',
      '--archive',
      '--no-perms',
      "--rsh=ssh -S none -i /k/id -o Port=2222 -o BatchMode=yes -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=/k/known hosts'",
      '--rsync-path=sudo -u root rsync',
      '--exclude=.git',
      '--out-format=<<CHANGED>>%i %n%L',
      '/c/dags/',
      'deploy@10.0.0.5:/srv/dags/',
    ])
    const pull = rsyncArgv(
      { ...p, mode: 'pull', src: '/var/log/', dest: '/c/logs/' },
      { ...ctx, become: undefined, ssh: { ...ctx.ssh, address: 'fe80::1' } },
      false,
    ).argv
    assert.deepEqual(pull.slice(-2), ['deploy@[fe80::1]:/var/log/', '/c/logs/'])
    assert.throws(() => rshWord(`a'b"c`), /both kinds of quotes/)
  })
  it('what a push creates, updates and deletes, from the itemized lines', () => {
    const out = '<<CHANGED>>cd+++++++++ sub/\n<<CHANGED>><f+++++++++ sub/a.py\n<<CHANGED>>*deleting   old.py\n<<CHANGED>>cL+++++++++ l -> a\n'
    assert.deepEqual(
      pushEffects('/srv/d/', out).map((e) => [e.key, e.value]),
      [
        ['/srv/d/sub', { exists: true, type: 'directory' }],
        ['/srv/d/sub/a.py', { exists: true, type: 'file' }],
        ['/srv/d/old.py', { exists: false }],
        ['/srv/d/l', { exists: true, type: 'link' }],
      ],
    )
  })
})
