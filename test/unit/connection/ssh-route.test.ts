import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { expandProxyCommand } from '../../../engine/connection/proxy-command.js'
import { parseJumpSpec, routeArgs, sshOptionList } from '../../../engine/connection/ssh-args.js'
import { routeFor, SshRun, viaFor } from '../../../engine/connection/ssh-route.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-route-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('ssh arguments', () => {
  it('reads -o, -J, -F, -l, -p, -i, and skips the arguments of other flags', () => {
    assert.deepEqual(sshOptionList(`-C -o ProxyJump=a -oUser=x -o 'ProxyCommand ssh -W %h:%p gw' -J b -F /cfg -p 2 -L 80:h:80 -i k -l u`), [
      ['proxyjump', 'a'],
      ['user', 'x'],
      ['proxycommand', 'ssh -W %h:%p gw'],
      ['proxyjump', 'b'],
      ['-f', '/cfg'],
      ['port', '2'],
      ['identityfile', 'k'],
      ['user', 'u'],
    ])
    assert.deepEqual(sshOptionList('-o User="deploy"'), [['user', 'deploy']])
  })

  it('first value wins across the strings; ProxyJump and ProxyCommand exclude each other; the last -F wins', () => {
    const r = routeArgs(['-o ProxyCommand="nc %h %p" -F one', '-o ProxyJump=b -o User=a -o User=b -F two'])
    assert.equal(r.proxyCommand, 'nc %h %p')
    assert.equal(r.proxyJump, undefined)
    assert.equal(r.user, 'a')
    assert.equal(r.configFile, 'two')
  })

  it('parses jump specs: user, host, port, several hops, bracketed IPv6', () => {
    assert.deepEqual(parseJumpSpec('bastion'), [{ user: undefined, host: 'bastion', port: undefined }])
    assert.deepEqual(parseJumpSpec('ops@gw:2222,root@10.0.0.1'), [
      { user: 'ops', host: 'gw', port: 2222 },
      { user: 'root', host: '10.0.0.1', port: undefined },
    ])
    assert.deepEqual(parseJumpSpec('ssh://u@[fe80::1]:22'), [{ user: 'u', host: 'fe80::1', port: 22 }])
    assert.throws(() => parseJumpSpec('gw:99999'), /bad ProxyJump host 'gw:99999'/)
    assert.throws(() => parseJumpSpec('@gw'), /bad ProxyJump host/)
  })

  it('expands ProxyCommand tokens shell-quoted, never as code', () => {
    const v = { host: '10.0.0.5', port: 22, user: 'root', original: 'web' }
    assert.equal(expandProxyCommand('ssh -W %h:%p gw # %r %n %%', v), 'ssh -W 10.0.0.5:22 gw # root web %')
    assert.equal(expandProxyCommand('nc %h %p', { ...v, host: 'x; rm -rf /' }), `nc 'x; rm -rf /' 22`)
    assert.throws(() => expandProxyCommand('nc %h %z', v), /unknown token %z/)
  })
})

describe('route: Ansible and OpenSSH precedence', () => {
  const cfg = join(dir, 'config')
  writeFileSync(
    cfg,
    [
      'Host web',
      '  HostName 10.0.0.9',
      '  User cfguser',
      '  Port 2200',
      '  IdentityFile /keys/web',
      '  ProxyJump ops@bastion',
      'Host bastion',
      '  HostName 10.0.0.1',
      '  Port 2022',
      '  IdentityFile /keys/bastion',
    ].join('\n'),
  )
  const route = (over: Partial<Parameters<typeof routeFor>[1]> = {}, run = new SshRun()) =>
    routeFor(run, { name: 'web', host: 'web', args: { before: [], after: [`-F ${cfg}`] }, ...over })

  it('the config fills what Ansible does not pass', () => {
    const r = route()
    assert.deepEqual([r.address, r.user, r.port, r.identityFiles, r.proxyJump], ['10.0.0.9', 'cfguser', 2200, ['/keys/web'], 'ops@bastion'])
  })

  it('ansible_user, ansible_port, the key beat the config; -o in the common args beat the config, not Ansible', () => {
    const r = route({
      user: 'deploy',
      port: 22,
      privateKeyFile: '/keys/ansible',
      args: { before: [], after: [`-F ${cfg} -o User=other -o Port=1 -o ProxyJump=none`] },
    })
    assert.deepEqual([r.user, r.port, r.privateKeyFile, r.proxyJump], ['deploy', 22, '/keys/ansible', undefined])
    const viaArgs = route({ args: { before: [], after: [`-F ${cfg} -o User=other -o ProxyCommand="nc %h %p"`] } })
    assert.deepEqual([viaArgs.user, viaArgs.proxyCommand, viaArgs.proxyJump], ['other', 'nc %h %p', undefined])
    // ssh_args come before Ansible's own -o User
    assert.equal(route({ user: 'deploy', args: { before: ['-o User=first'], after: [`-F ${cfg}`] } }).user, 'first')
  })

  it('no config, no proxy: the host string, 22 and the local user', () => {
    const r = route({ host: '10.1.1.1', args: { before: [], after: ['-F none'] } })
    assert.deepEqual([r.address, r.port, r.user, r.proxyJump, r.proxyCommand], ['10.1.1.1', 22, userInfo().username, undefined, undefined])
  })

  it('a jump host is looked up in the config too, and one jump connection serves every host behind it', async () => {
    const run = new SshRun()
    const defaults = { hostKeyChecking: 'yes' as const, connectTimeoutMs: 1000 }
    const via = viaFor(run, 'web', route({}, run), defaults, 'web')
    assert.ok(via && !('code' in via))
    assert.equal(via.describe, 'jump host bastion (ops@10.0.0.1:2022)')
    const other = viaFor(run, 'db', route({ name: 'db', host: 'db', args: { before: [], after: [`-F ${cfg} -J bastion`] } }, run), defaults, 'db')
    assert.ok(other && !('code' in other))
    assert.equal(other.describe, `jump host bastion (${userInfo().username}@10.0.0.1:2022)`)
    const chain = viaFor(run, 'db', route({ args: { before: [], after: [`-F ${cfg} -J a@gw1,b@gw2:2`] } }, run), defaults, 'db')
    assert.ok(chain && !('code' in chain))
    assert.equal(chain.describe, 'jump host gw2 (b@gw2:2, itself through jump host gw1 (a@gw1:22))')
  })

  it('a config file that does not parse, or a bad jump spec, makes the host unreachable with the reason', () => {
    const bad = join(dir, 'bad')
    writeFileSync(bad, 'Host x\n  Port nope\n')
    const r = route({ args: { before: [], after: [`-F ${bad}`] } })
    assert.equal(r.error?.code, 'E_UNREACHABLE')
    assert.match(r.error!.message, new RegExp(`ssh config: ${bad}:2: Port: bad number 'nope'`))
    const via = viaFor(
      new SshRun(),
      'web',
      route({ args: { before: [], after: ['-F none -J gw:0'] } }),
      { hostKeyChecking: 'yes', connectTimeoutMs: 1000 },
      'web',
    )
    assert.ok(via && 'code' in via)
    assert.match(via.message, /bad ProxyJump host 'gw:0'/)
    // as ssh: no jumping through the host being connected to (same name, port and user)
    const defaults = { hostKeyChecking: 'yes' as const, connectTimeoutMs: 1000 }
    const loop = viaFor(new SshRun(), 'gw', route({ host: 'gw', user: 'root', args: { before: [], after: ['-F none -J root@gw'] } }), defaults, 'gw')
    assert.ok(loop && 'code' in loop)
    assert.equal(loop.message, 'jumphost loop via gw')
    const other = viaFor(new SshRun(), 'gw', route({ host: 'gw', user: 'root', args: { before: [], after: ['-F none -J deploy@gw'] } }), defaults, 'gw')
    assert.ok(other && !('code' in other))
  })

  it('the config files are read once per run; what they hold that acplay does not apply is said once', () => {
    const withMatch = join(dir, 'match')
    writeFileSync(withMatch, 'Match exec "test -f /x"\n  User x\n')
    const warnings: string[] = []
    const run = new SshRun((w) => warnings.push(w))
    const first = run.config(withMatch)
    assert.equal(run.config(withMatch), first)
    route({ args: { before: [], after: [`-F ${withMatch}`] } }, run)
    assert.deepEqual(warnings, [
      `${withMatch}:1: ssh config 'Match exec test -f /x' is not applied by acplay (only Match all, Match host, Match originalhost); its options are ignored`,
    ])
  })
})
