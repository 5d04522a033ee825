/** authorized_keys and known_hosts, pure: parsing, Ansible's merge rules, OpenSSH's host matching (expected values from Ansible and ssh-keygen runs). */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { merge, parseFile, parseOptions, serialize } from '../../../modules/ssh/authorized-keys-file.js'
import { hashHostKey, hostMatches, removeHost, rewrite, searchHostKey } from '../../../modules/ssh/known-hosts-file.js'

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIJ0jmxT86itr3094PxsY6QbJPjT+j4eSXp36Mknut1gd'
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIMoWe02MwQpiXWXzrPUWwHy0yQb8SiOM/U5ht0LZaeTe'

describe('authorized_keys (ansible.posix rules)', () => {
  it('options split at commas outside quotes; a flag has no value', () => {
    assert.deepEqual(parseOptions('no-pty,command="a,b",from="x"'), [
      ['no-pty', undefined],
      ['command', '"a,b"'],
      ['from', '"x"'],
    ])
  })
  it('serializes every key line again: a key without comment gets the trailing space Ansible writes', () => {
    const { entries, changed } = merge(parseFile(`# c\nssh-ed25519 ${K1}\n`), { keys: `ssh-ed25519 ${K2} two`, state: 'present', exclusive: false })
    assert.ok(changed)
    assert.equal(serialize(entries), `# c\nssh-ed25519 ${K1} \nssh-ed25519 ${K2} two\n`)
  })
  it('the same key with other options moves to the end; options in another order are the same', () => {
    const file = `no-pty,from="a" ssh-ed25519 ${K1} one\nssh-ed25519 ${K2} two\n`
    assert.equal(merge(parseFile(file), { keys: `ssh-ed25519 ${K1} one`, keyOptions: 'from="a",no-pty', state: 'present', exclusive: false }).changed, false)
    const r = merge(parseFile(file), { keys: `ssh-ed25519 ${K1} one`, state: 'present', exclusive: false })
    assert.equal(serialize(r.entries), `ssh-ed25519 ${K2} two\nssh-ed25519 ${K1} one\n`)
  })
  it('absent matches by the key alone; exclusive drops comment lines too', () => {
    const file = `# c\ncommand="x" ssh-ed25519 ${K1} one\nssh-ed25519 ${K2} two\n`
    assert.equal(serialize(merge(parseFile(file), { keys: `ssh-ed25519 ${K1}`, state: 'absent', exclusive: false }).entries), `# c\nssh-ed25519 ${K2} two\n`)
    assert.equal(serialize(merge(parseFile(file), { keys: `ssh-ed25519 ${K2} two`, state: 'present', exclusive: true }).entries), `ssh-ed25519 ${K2} two\n`)
    assert.throws(() => merge(parseFile(''), { keys: 'not a key', state: 'present', exclusive: false }), /invalid key specified: not a key/)
  })
})

describe('known_hosts (ssh-keygen -F matching, Ansible decisions)', () => {
  it('patterns: comma lists, wildcards, negation, case-insensitive; hashed names by HMAC-SHA1', () => {
    assert.ok(hostMatches('db1', 'web1,DB1'))
    assert.ok(hostMatches('db7.internal', '*.internal,!db8.internal'))
    assert.ok(!hostMatches('db8.internal', '*.internal,!db8.internal'))
    assert.ok(hostMatches('[db3]:2222', '[db3]:2222'))
    const salt = Buffer.alloc(20, 7)
    const field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('db2').digest('base64')}`
    assert.ok(hostMatches('db2', field))
    assert.ok(!hostMatches('db3', field))
    assert.ok(hostMatches('db2', hashHostKey('db2', `db2 ssh-ed25519 ${K1}`).split(' ')[0]!))
  })
  it('the first entry of the host decides: same key (ok), same type (replace that line), else add', () => {
    const file = `@revoked web1 ssh-ed25519 ${K2}\nweb1,10.0.0.1 ssh-ed25519 ${K2}\n`
    const s = searchHostKey(file, 'web1', `web1 ssh-ed25519 ${K1}\n`)
    assert.deepEqual(s, { found: true, replaceOrAdd: true, foundLine: 1 })
    assert.equal(rewrite(file, s, 'present', `web1 ssh-ed25519 ${K1}\n`), `web1,10.0.0.1 ssh-ed25519 ${K2}\nweb1 ssh-ed25519 ${K1}\n`)
    assert.deepEqual(searchHostKey(`web1 ssh-ed25519 ${K1}\n`, 'web1', `web1 ssh-ed25519 ${K1}\n`), { found: true, replaceOrAdd: false, foundLine: 1 })
    assert.deepEqual(searchHostKey(undefined, 'web1', `web1 ssh-ed25519 ${K1}\n`), { found: false, replaceOrAdd: false })
    assert.equal(removeHost(`# x\n${file}db ssh-ed25519 ${K1}\n`, 'web1'), `# x\ndb ssh-ed25519 ${K1}\n`)
  })
})
