import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { configFiles, configWords, globMatch, loadSshConfig, lookupHost, matchesPatterns } from '../../../engine/connection/ssh-config.js'

const home = mkdtempSync(join(tmpdir(), 'acplay-sshcfg-'))
after(() => rmSync(home, { recursive: true, force: true }))

/** Writes `text` as ~/.ssh/config (plus other files by path under home) and parses it. */
function config(text: string, others: Record<string, string> = {}) {
  const dir = mkdtempSync(join(home, 'h-'))
  mkdirSync(join(dir, '.ssh'), { recursive: true })
  writeFileSync(join(dir, '.ssh', 'config'), text)
  for (const [rel, t] of Object.entries(others)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), t)
  }
  return { dir, config: loadSshConfig([{ file: join(dir, '.ssh', 'config'), user: true }], dir) }
}

describe('ssh config patterns', () => {
  it('matches * and ? over the whole name, case-insensitively, negations veto', () => {
    assert.equal(globMatch('web-*', 'web-1'), true)
    assert.equal(globMatch('web-?', 'web-10'), false)
    assert.equal(globMatch('10.231.*', '10.231.0.5'), true)
    assert.equal(globMatch('a.b', 'axb'), false)
    assert.equal(matchesPatterns(['*.internal', '!db.internal'], 'web.internal'), true)
    assert.equal(matchesPatterns(['*.internal', '!db.internal'], 'db.internal'), false)
    assert.equal(matchesPatterns(['!db'], 'web'), false) // a negation alone matches nothing
    assert.equal(matchesPatterns(['web'], 'WEB'), true)
  })

  it('splits Key value, Key=value and "quoted words"', () => {
    assert.deepEqual(configWords('HostName  10.0.0.1'), ['HostName', '10.0.0.1'])
    assert.deepEqual(configWords('Port=2222'), ['Port', '2222'])
    assert.deepEqual(configWords('User = deploy'), ['User', 'deploy'])
    assert.deepEqual(configWords('IdentityFile "/path/with space/key"'), ['IdentityFile', '/path/with space/key'])
    assert.throws(() => configWords('IdentityFile "/open'), /unterminated quote/)
  })
})

describe('ssh config lookup', () => {
  it('first value wins, options before any Host apply to all, IdentityFile adds up, ~ and %h expand', () => {
    const { dir, config: c } = config(
      [
        'User everyone-first',
        'Host web-* !web-9',
        '  HostName %h.example',
        '  Port 2222',
        '  IdentityFile ~/.ssh/web',
        '# a comment',
        'Host *',
        '  User late',
        '  Port 22',
        '  IdentityFile ~/.ssh/id_all',
        '  ProxyJump bastion',
        '  ServerAliveInterval 7',
      ].join('\n'),
    )
    const web = lookupHost(c, 'web-1', dir)
    assert.equal(web.hostName, 'web-1.example')
    assert.equal(web.user, 'everyone-first')
    assert.equal(web.port, 2222)
    assert.deepEqual(web.identityFiles, [join(dir, '.ssh/web'), join(dir, '.ssh/id_all')])
    assert.equal(web.proxyJump, 'bastion')
    assert.equal(web.serverAliveIntervalS, 7)
    const nine = lookupHost(c, 'web-9', dir)
    assert.equal(nine.hostName, undefined)
    assert.equal(nine.port, 22)
  })

  it('ProxyJump and ProxyCommand: the first obtained of either wins; none is a value', () => {
    const { config: c } = config(
      [
        'Host bastion',
        '  ProxyJump none',
        'Host db',
        '  ProxyCommand ssh -W %h:%p gw',
        'Host quoted',
        '  ProxyCommand=sh -c "nc %h %p"',
        'Host *',
        '  ProxyJump bastion',
      ].join('\n'),
    )
    assert.equal(lookupHost(c, 'quoted').proxyCommand, 'sh -c "nc %h %p"')
    assert.equal(lookupHost(c, 'bastion').proxyJump, 'none')
    assert.equal(lookupHost(c, 'db').proxyCommand, 'ssh -W %h:%p gw')
    assert.equal(lookupHost(c, 'db').proxyJump, undefined)
    assert.equal(lookupHost(c, 'web').proxyJump, 'bastion')
  })

  it('Include: globs relative to ~/.ssh, in order, inside a Host block only for that block', () => {
    const { dir, config: c } = config(['Include conf.d/*.conf', 'Host inner', '  Include scoped', 'Host *', '  User fallback'].join('\n'), {
      '.ssh/conf.d/10-a.conf': 'Host a\n  User from-a\n',
      '.ssh/conf.d/20-b.conf': 'Host a b\n  User from-b\n  Port 2200\n',
      '.ssh/conf.d/skip.txt': 'Host a\n  Port 1\n',
      '.ssh/scoped': 'Port 4444\n',
    })
    assert.equal(lookupHost(c, 'a', dir).user, 'from-a')
    assert.equal(lookupHost(c, 'a', dir).port, 2200)
    assert.equal(lookupHost(c, 'b', dir).user, 'from-b')
    assert.equal(lookupHost(c, 'inner', dir).port, 4444)
    assert.equal(lookupHost(c, 'other', dir).port, undefined)
    assert.equal(lookupHost(c, 'other', dir).user, 'fallback')
  })

  it('Match all and Match host apply; other Match blocks are skipped with a warning naming file:line', () => {
    const { dir, config: c } = config(['Match host *.lan', '  User lan', 'Match exec "true"', '  User never', 'Match all', '  Port 2022'].join('\n'))
    assert.equal(lookupHost(c, 'x.lan', dir).user, 'lan')
    assert.equal(lookupHost(c, 'x.wan', dir).user, undefined)
    assert.equal(lookupHost(c, 'x.wan', dir).port, 2022)
    assert.equal(c.warnings.length, 1)
    assert.match(c.warnings[0]!, new RegExp(`${join(dir, '.ssh', 'config')}:3: ssh config 'Match exec true' is not applied`))
  })

  it('a bad line is an error naming file:line', () => {
    assert.throws(() => config('Host a\n  Port twenty\n'), /\.ssh\/config:2: Port: bad number 'twenty'/)
    assert.throws(() => config('Host a\n  User\n'), /\.ssh\/config:2: User: missing argument/)
    assert.throws(() => config('StrictHostKeyChecking maybe\n'), /config:1: StrictHostKeyChecking: unsupported option 'maybe'/)
  })

  it('-F names the only file read (none: no file); else ~/.ssh/config then /etc/ssh/ssh_config', () => {
    assert.deepEqual(configFiles('~/alt', '/home/u'), [{ file: '/home/u/alt', user: true }])
    assert.deepEqual(configFiles('none', '/home/u'), [])
    assert.deepEqual(
      configFiles(undefined, '/home/u').map((f) => f.file),
      ['/home/u/.ssh/config', '/etc/ssh/ssh_config'],
    )
    assert.throws(() => loadSshConfig([{ file: join(home, 'missing'), user: true }], home, true), /cannot read ssh config/)
    assert.deepEqual(loadSshConfig([{ file: join(home, 'missing'), user: true }], home).entries, [])
  })
})
