/**
 * vars_prompt's encrypt, salt and salt_size against Debian's ansible-playbook (no terminal: the
 * defaults are taken and hashed): the same hash for a given salt, a random salt of the given size,
 * a -e value left as given (not hashed), a scheme passlib does not know refused naming the entry.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars_prompt:
    - name: private_pw
      default: s3cret
      encrypt: sha512_crypt
      salt: abcdefgh12345678
    - name: shown_pw
      default: other
      private: false
      encrypt: md5_crypt
      salt: Ab3.
    - name: sized
      default: x
      private: false
      encrypt: sha256_crypt
      salt_size: 5
    - name: given
      encrypt: sha512_crypt
  tasks:
    - name: seen private
      debug: { msg: "{{ private_pw | hash('sha1') }}" }
    - name: seen shown
      debug: { msg: "{{ shown_pw }}" }
    - name: seen sized
      debug: { msg: "{{ sized.split('$')[3] | length }} {{ sized.startswith('$5$rounds=535000$') }}" }
    - name: seen given
      debug: { msg: "{{ given }}" }
`

describe('vars_prompt encrypt, salt and salt_size, as ansible-playbook', () => {
  let dir = ''
  before(() => {
    dir = localPlaybookDir('vars-prompt', { 'play.yml': PLAYBOOK })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same hashes of the defaults; a -e value is not hashed', async () => {
    const mine = sameOutputs(await runBoth(dir, ['play.yml', '-i', 'hosts.ini', '-e', 'given=as-is']))
    assert.equal(mine['seen shown'], '$1$Ab3.$xvbw5fxeV1fEfsjJXqWdw/')
    assert.equal(mine['seen sized'], '5 True')
    assert.equal(mine['seen given'], 'as-is')
  })

  it('a scheme acplay does not make is refused, naming the entry', async () => {
    writeFileSync(
      join(dir, 'bad.yml'),
      '- hosts: all\n  gather_facts: false\n  vars_prompt:\n    - name: pw\n      default: x\n      encrypt: des_crypt\n  tasks: []\n',
    )
    const r = await acplay(['run', 'bad.yml', '-i', 'hosts.ini'], { cwd: dir })
    assert.notEqual(r.code, 0)
    assert.match(r.stdout + r.stderr, /bad\.yml:4:\d+.*vars_prompt 'pw': password_hash: 'des_crypt' is not supported here/)
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace')
  })
})
