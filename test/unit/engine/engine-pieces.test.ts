/** Pure engine pieces: tag selection, recap, quoting, known_hosts, ssh args, masking, diff rendering. */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { quote, shellJoin } from '../../../engine/connection/quote.js'
import { knownHostsName, knownKeys } from '../../../engine/connection/known-hosts.js'
import { exitCode, recap, recapLines } from '../../../engine/report/recap.js'
import { renderDiff } from '../../../engine/report/format.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectionSettings, parseSshArgs } from '../../../engine/connection/settings.js'
import { selectedByTags } from '../../../engine/run/tags.js'
import { encodeUserInfo, Masker } from '../../../engine/secrets.js'
import type { HostResult } from '../../../engine/report/types.js'

describe('tags', () => {
  it('follows Ansible: always, never, all, tagged, untagged, skip wins', () => {
    assert.equal(selectedByTags(['a']), true)
    assert.equal(selectedByTags(['never']), false)
    assert.equal(selectedByTags(['never', 'debug'], ['debug']), true)
    assert.equal(selectedByTags(['always'], ['x']), true)
    assert.equal(selectedByTags(['always'], ['x'], ['always']), false)
    assert.equal(selectedByTags([], ['untagged']), true)
    assert.equal(selectedByTags(['a'], ['tagged']), true)
    assert.equal(selectedByTags(['a', 'b'], ['b'], ['a']), false)
    assert.equal(selectedByTags(['a'], ['all']), true)
  })
})

describe('recap', () => {
  const r = (host: string, status: HostResult['status'], extra: Partial<HostResult> = {}): HostResult => ({
    host,
    status,
    task: { name: 't' },
    changes: [],
    durationMs: 0,
    ...extra,
  })
  it('counts changed as ok too, an ignored failure as ok (and changed when it changed) and ignored, a rescued one apart, and picks the exit code', () => {
    const recaps = recap(
      ['a', 'b'],
      [
        r('a', 'changed'),
        r('a', 'ok'),
        r('a', 'failed', { ignored: true }),
        r('a', 'failed', { ignored: true, result: { changed: true, rc: 1 }, failedChanged: true }),
        // under no_log there is no result to show, yet it changed; a loop whose item changed likewise
        r('a', 'failed', { ignored: true, hidden: true, failedChanged: true, items: 2 }),
        r('a', 'failed', { rescued: true }),
        r('b', 'skipped'),
        r('b', 'failed'),
      ],
    )
    assert.deepEqual(recaps[0], { host: 'a', ok: 5, changed: 3, unreachable: 0, failed: 0, skipped: 0, rescued: 1, ignored: 3 })
    assert.equal(exitCode(recaps), 2)
    assert.equal(exitCode(recap(['a', 'b'], [r('a', 'failed'), r('b', 'unreachable')])), 4)
    assert.equal(exitCode(recap(['a'], [r('a', 'ok')])), 0)
  })
  it("prints Ansible's exact line", () => {
    assert.equal(
      recapLines(recap(['localhost'], [r('localhost', 'ok')]))[0],
      'localhost                  : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
    )
  })
})

describe('quoting', () => {
  it('quotes everything a shell would interpret', () => {
    assert.equal(quote('plain/path-1.txt'), 'plain/path-1.txt')
    assert.equal(quote(''), "''")
    assert.equal(quote("it's $(x) `y`; z\n"), `'it'\\''s $(x) \`y\`; z\n'`)
    assert.equal(shellJoin(['echo', 'a b', '*']), "echo 'a b' '*'")
  })
})

describe('known_hosts', () => {
  it('matches plain, bracketed-port and hashed entries', () => {
    const salt = Buffer.from('0123456789abcdef0123')
    const hash = createHmac('sha1', salt).update('[10.231.3.11]:2222').digest('base64')
    const text = `# comment\n10.231.2.11,h2 ssh-ed25519 KEYA\n|1|${salt.toString('base64')}|${hash} ssh-ed25519 KEYB\n`
    assert.deepEqual(knownKeys(text, '10.231.2.11'), ['KEYA'])
    assert.deepEqual(knownKeys(text, 'h2'), ['KEYA'])
    assert.deepEqual(knownKeys(text, knownHostsName('10.231.3.11', 2222)), ['KEYB'])
    assert.deepEqual(knownKeys(text, 'other'), [])
    // several keys for a name come in the file's order, hashed or plain
    const mixed = `h3 ssh-rsa KEYC\n|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('h3').digest('base64')} ssh-ed25519 KEYD\nh3,h4 ecdsa-sha2-nistp256 KEYE\n`
    assert.deepEqual(knownKeys(mixed, 'h3'), ['KEYC', 'KEYD', 'KEYE'])
    assert.deepEqual(knownKeys(mixed, 'h4'), ['KEYE'])
  })
  it('reads ansible_ssh_common_args for the known_hosts file and host key checking', () => {
    assert.deepEqual(parseSshArgs('-o UserKnownHostsFile=/tmp/kh -o StrictHostKeyChecking=no'), { knownHostsFile: '/tmp/kh', hostKeyChecking: 'no' })
    assert.deepEqual(parseSshArgs('-o StrictHostKeyChecking=yes'), { hostKeyChecking: 'yes' })
    assert.deepEqual(parseSshArgs("-oStrictHostKeyChecking=accept-new -o 'ServerAliveInterval 2' -o ServerAliveCountMax=4 -C -o ConnectTimeout=3"), {
      hostKeyChecking: 'accept-new',
      serverAliveIntervalS: 2,
      serverAliveCountMax: 4,
      connectTimeoutS: 3,
    })
  })
  it('takes ssh args from ansible.cfg [ssh_connection] and ANSIBLE_SSH_*ARGS, under the command line and the host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acplay-sshcfg-'))
    try {
      const cfg = join(dir, 'ansible.cfg')
      writeFileSync(
        cfg,
        '[ssh_connection]\nssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=30 -o UserKnownHostsFile=/dev/null\npipelining = True\nssh_extra_args = -o ConnectTimeout=7\n',
      )
      const at = (vars: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, sshArgs?: string[]) => {
        const s = connectionSettings({ vars, ansibleCfg: cfg, env, sshArgs })
        return [s.keepaliveIntervalMs, s.connectTimeoutMs, s.knownHostsFile, s.hostKeyChecking]
      }
      assert.deepEqual(at({}), [30_000, 7_000, '/dev/null', 'yes'])
      assert.deepEqual(at({}, { ANSIBLE_SSH_ARGS: '-o ServerAliveInterval=20 -o StrictHostKeyChecking=no' }), [20_000, 7_000, undefined, 'no'])
      assert.deepEqual(at({ ansible_ssh_args: '-o ServerAliveInterval=9' }), [9_000, 7_000, undefined, 'yes'])
      assert.deepEqual(at({ ansible_ssh_extra_args: '-o ConnectTimeout=2' }, {}, ['-o ServerAliveInterval=3']), [3_000, 2_000, '/dev/null', 'yes'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('secrets', () => {
  it('masks a secret and its percent-encoded and URI-encoded forms, deeply', () => {
    const m = new Masker()
    const pw = 'p%ss/w@rd:?#$ x'
    m.add(pw)
    assert.equal(encodeUserInfo(pw), 'p%25ss%2Fw%40rd%3A%3F%23%24%20x')
    const dsn = `postgresql://airflow:${encodeUserInfo(pw)}@db/airflow`
    assert.equal(m.mask(dsn), 'postgresql://airflow:********@db/airflow')
    assert.deepEqual(m.maskDeep({ a: [pw, `x ${encodeURIComponent(pw)}`], n: 1 }), { a: ['********', 'x ********'], n: 1 })
  })
})

describe('diff rendering', () => {
  it('shows attributes and a unified diff with before/after headers', () => {
    const lines = renderDiff({ path: '/etc/x', before: 'a\nb\n', after: 'a\nc\n', attrs: { mode: ['0644', '0600'] } })
    assert.deepEqual(lines.slice(0, 2), ['--- before: /etc/x (mode: 0644)', '+++ after: /etc/x (mode: 0600)'])
    assert.ok(lines.includes('-b') && lines.includes('+c'))
    assert.ok(lines.some((l) => l.startsWith('--- before: /etc/x')))
  })
})
