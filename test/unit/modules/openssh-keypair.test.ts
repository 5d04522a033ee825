/** openssh_keypair: the key pair fact from recorded ssh-keygen output, Ansible's regenerate rules, and plans from facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { opensshKeypair } from '../../../modules/openssh-keypair.js'
import { validateParams } from '../../../modules/schema.js'
import { keypairAction, keypairSize, UNREADABLE_MSG, WRONG_KEY_MSG, type KeypairWant } from '../../../modules/ssh/keypair-plan.js'
import { keypairFact, parseKeypair, parsePubLine } from '../../../modules/ssh/keypair-state.js'
import { fakeCtx } from './fake-ctx.js'

// what the fact's script printed on a testbed host (Debian 12, OpenSSH 9.2)
const STATS = (priv: string, pub: string) =>
  `stat directory|555|root|root|0|0|0|248076|82|9\nstat directory|755|root|root|0|0|4096|2146620|69|2\nstat ${priv}\nstat ${pub}\n`
const FILE = (mode: string) => `regular file|${mode}|root|root|0|0|399|37|76|1`
const ED_PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGXIMQtrHcibLp55qfOaEGIhfb/fTawFaONEbGYPyWDG'
const b64 = (s: string) => Buffer.from(s).toString('base64')
const ED_KEY = (pubFile: string | undefined, mode = '600') =>
  STATS(FILE(mode), pubFile === undefined ? 'absent' : FILE('644')) +
  'priv file\nfirst -----BEGIN OPENSSH PRIVATE KEY-----\n' +
  'l 256 SHA256:FWX/bVKT7cpCFp/xBAV9eyPFC9otUb/tPpBv0fF3CW8 me@host (ED25519)\n' +
  `plain 0 ${b64(`${ED_PUB} me@host`)}\n` +
  (pubFile === undefined ? 'pubabsent\n' : `pub ${b64(pubFile)}\n`)
const LOAD_ERR = b64('Load key "/k/id": incorrect passphrase supplied to decrypt private key\r\n')
const EC_PUB = 'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBOAK7nFd9HbE'
const EC_ENCRYPTED = (opens: boolean) =>
  STATS(FILE('600'), FILE('644')) +
  'priv file\nfirst -----BEGIN OPENSSH PRIVATE KEY-----\n' +
  'l 384 SHA256:vDdSSyBeWIc78XyupHNQgw4laTAXiVZphA4r06snAA8 ec (ECDSA)\n' +
  `plain 255 ${LOAD_ERR}\n` +
  (opens ? `pass 0 ${b64(`${EC_PUB} ec`)}\n` : `pass 255 ${LOAD_ERR}\n`) +
  `pub ${b64(`${EC_PUB} ec\n`)}\n`
const NONE = `${STATS('absent', 'absent')}priv absent\npubabsent\n`

const want = (w: Partial<KeypairWant>): KeypairWant => ({
  type: 'ed25519',
  size: 256,
  regenerate: 'partial_idempotence',
  withPassphrase: false,
  privateKeyFormat: 'auto',
  ...w,
})

describe('openssh_keypair', () => {
  it('reads the fact: stats, ssh-keygen -l as Ansible splits it, what -y derives, the .pub; an encrypted key does not open without its passphrase', () => {
    const ed = parseKeypair(ED_KEY(`${ED_PUB} me@host\n`))
    assert.deepEqual([ed.stats.user, ed.stats.dir.type, ed.stats.priv.mode, ed.stats.pub.mode], ['root', 'directory', '0600', '0644'])
    assert.deepEqual(ed.listed, { size: 256, fingerprint: 'SHA256:FWX/bVKT7cpCFp/xBAV9eyPFC9otUb/tPpBv0fF3CW8', type: 'ed25519' })
    assert.equal(ed.format, 'SSH')
    assert.deepEqual(ed.plain, { loads: true, unreadable: false, pub: parsePubLine(`${ED_PUB} me@host`) })
    assert.deepEqual(ed.pubFile, { type: 'ssh-ed25519', data: ED_PUB.split(' ')[1], comment: 'me@host' })
    const ec = parseKeypair(EC_ENCRYPTED(false))
    assert.deepEqual([ec.plain?.loads, ec.plain?.unreadable, ec.withPass?.loads], [false, true, false])
    assert.deepEqual(parseKeypair(NONE), { ...parseKeypair(NONE), priv: 'absent', pubFile: 'absent' })
    assert.equal(parsePubLine('ssh-rsa'), undefined)
    assert.deepEqual(parsePubLine('ssh-rsa AAAA a comment with spaces \n'), { type: 'ssh-rsa', data: 'AAAA', comment: 'a comment with spaces' })
    // the passphrase travels on stdin only, and is no part of the fact's key
    const cmd = keypairFact.command('/k/id', 'p4ss')
    assert.ok(!cmd.argv.includes('p4ss'))
    assert.equal(cmd.stdin, 'p4ss')
    assert.ok(!keypairFact.key!('/k/id', 'p4ss').includes('p4ss'))
  })

  it("sizes: Ansible's defaults and refusals", () => {
    assert.deepEqual(
      [keypairSize('rsa', undefined), keypairSize('ecdsa', undefined), keypairSize('dsa', undefined), keypairSize('ed25519', 4096)],
      [4096, 256, 1024, 256],
    )
    assert.throws(() => keypairSize('rsa', 512), /minimum size is 1024/)
    assert.throws(() => keypairSize('ecdsa', 300), /256, 384 or 521 bits/)
    assert.throws(() => keypairSize('dsa', 2048), /exactly 1024 bits/)
  })

  it('regenerate: each policy on a key of the wrong type, an unreadable key, a missing or stale .pub, another comment', () => {
    const ed = parseKeypair(ED_KEY(`${ED_PUB} me@host\n`))
    const rsaWanted = { type: 'rsa', size: 2048 }
    assert.throws(() => keypairAction(want({ ...rsaWanted, regenerate: 'fail' }), ed), { message: WRONG_KEY_MSG })
    assert.deepEqual(keypairAction(want({ ...rsaWanted, regenerate: 'never' }), ed), { kind: 'keep' })
    for (const regenerate of ['partial_idempotence', 'full_idempotence', 'always'] as const)
      assert.deepEqual(keypairAction(want({ ...rsaWanted, regenerate }), ed), { kind: 'generate' })
    assert.deepEqual(keypairAction(want({ regenerate: 'always' }), ed), { kind: 'generate' })
    // the comment: none asked keeps any; another one rewrites the .pub (and sets it), no new key
    assert.deepEqual(keypairAction(want({}), ed), { kind: 'keep' })
    assert.deepEqual(keypairAction(want({ comment: 'me@host' }), ed), { kind: 'keep' })
    assert.deepEqual(keypairAction(want({ comment: 'new' }), ed), { kind: 'restore-pub', comment: 'new' })
    assert.deepEqual(keypairAction(want({ comment: '' }), ed), { kind: 'restore-pub' })
    assert.deepEqual(keypairAction(want({}), parseKeypair(ED_KEY(undefined))), { kind: 'restore-pub' })
    assert.deepEqual(keypairAction(want({}), parseKeypair(ED_KEY(`${EC_PUB} ec\n`))), { kind: 'restore-pub' })
    // an encrypted key without a passphrase (opensshbin): unreadable
    const ec = parseKeypair(EC_ENCRYPTED(true))
    const ecWant = { type: 'ecdsa', size: 384 }
    for (const regenerate of ['never', 'fail', 'partial_idempotence'] as const)
      assert.throws(() => keypairAction(want({ ...ecWant, regenerate }), ec), { message: UNREADABLE_MSG })
    // with its passphrase (the cryptography backend's rules): it opens, and only with it
    assert.deepEqual(keypairAction(want({ ...ecWant, withPassphrase: true, comment: 'ec' }), ec), { kind: 'keep' })
    const wrong = parseKeypair(EC_ENCRYPTED(false))
    assert.throws(() => keypairAction(want({ ...ecWant, withPassphrase: true }), wrong), { message: UNREADABLE_MSG })
    assert.deepEqual(keypairAction(want({ ...ecWant, withPassphrase: true, regenerate: 'full_idempotence' }), wrong), { kind: 'generate' })
    // a plain key with a passphrase given is not readable as the cryptography backend reads it
    assert.throws(() => keypairAction(want({ withPassphrase: true }), { ...ed, withPass: ed.plain }), { message: UNREADABLE_MSG })
  })

  const params = (raw: Record<string, unknown>) => validateParams(opensshKeypair, { path: '/k/id', type: 'ed25519', ...raw }) as never
  const ctx = (out: string, passphrase?: string, check = false) => fakeCtx({ [JSON.stringify(['ssh.keypair', '/k/id', passphrase])]: out }, { check })

  it('plans: ok for the wanted pair (one read), chmod for another mode, a .pub restored, a new pair; the results are the present pair’s', async () => {
    const c = ctx(ED_KEY(`${ED_PUB} me@host\n`))
    const ok = await opensshKeypair.plan(params({}), c)
    assert.equal(ok.kind, 'ok')
    assert.equal(c.reads.length, 1, 'one round trip')
    assert.deepEqual(ok.data, {
      filename: '/k/id',
      size: 256,
      type: 'ed25519',
      fingerprint: 'SHA256:FWX/bVKT7cpCFp/xBAV9eyPFC9otUb/tPpBv0fF3CW8',
      public_key: ED_PUB,
      comment: 'me@host',
    })
    const chmod = await opensshKeypair.plan(params({ mode: '0640' }), ctx(ED_KEY(`${ED_PUB} me@host\n`)))
    assert.ok(chmod.kind === 'change')
    assert.deepEqual(
      chmod.changes.map((ch) => ch.commands.map((x) => x.argv.join(' '))),
      [['chmod -- 0640 /k/id'], ['chmod -- 0640 /k/id.pub']],
    )
    const restore = await opensshKeypair.plan(params({ comment: 'new' }), ctx(ED_KEY(`${ED_PUB} me@host\n`)))
    assert.ok(restore.kind === 'change')
    assert.match(restore.changes[0]!.summary, /rewrite \/k\/id.pub from the private key with the comment "new"/)
    assert.ok(restore.changes[0]!.commands[0]!.argv.includes(`${ED_PUB} new`))
    const gen = await opensshKeypair.plan(params({ passphrase: 'p4ss', comment: 'c' }), ctx(NONE, 'p4ss'))
    assert.ok(gen.kind === 'change')
    assert.match(gen.changes[0]!.summary, /make a key pair \(ed25519, 256 bits, with a passphrase\) at \/k\/id, mode 0600 and 0644/)
    assert.equal(gen.changes[0]!.commands[0]!.stdin, 'p4ss')
    assert.ok(!gen.changes[0]!.commands[0]!.argv.includes('p4ss'), 'never on a command line')
    assert.deepEqual([gen.data!.fingerprint, gen.data!.public_key], ['', ''])
  })

  it('check mode: a pair planned by an earlier task is the wanted one; absent removes what is there; refusals name the option', async () => {
    const gen = await opensshKeypair.plan(params({ comment: 'c' }), ctx(NONE, undefined, true))
    assert.ok(gen.kind === 'change')
    const again = await opensshKeypair.plan(
      params({ comment: 'c' }),
      fakeCtx({ [JSON.stringify(['ssh.keypair', '/k/id', undefined])]: NONE }, { check: true, effects: gen.changes.flatMap((c) => c.effects ?? []) }),
    )
    assert.equal(again.kind, 'ok')
    const gone = await opensshKeypair.plan(params({ state: 'absent' }), ctx(ED_KEY(undefined)))
    assert.ok(gone.kind === 'change')
    assert.equal((await opensshKeypair.plan(params({ state: 'absent' }), ctx(NONE))).kind, 'ok')
    await assert.rejects(opensshKeypair.plan(params({ backend: 'cryptography' }), ctx(NONE)), /backend=cryptography is not supported by acplay/)
    await assert.rejects(opensshKeypair.plan(params({ private_key_format: 'pkcs8' }), ctx(NONE)), /'auto' is the only valid option/)
    await assert.rejects(opensshKeypair.plan(params({ type: 'rsa', size: 512 }), ctx(NONE)), /minimum size is 1024/)
  })
})
