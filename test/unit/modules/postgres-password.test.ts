import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { md5Hash, parseScram, passwordKind, passwordMatches, passwordToStore, scramVerifier } from '../../../modules/postgres/password.js'

// Recorded from PostgreSQL 15 on the testbed: CREATE ROLE v1 PASSWORD 'pencil' (scram), v2 'pâss wörd ﬁ', v3 'pencil' (md5).
const V1 = 'SCRAM-SHA-256$4096:SmDeAFhai9S2ILio/wnThw==$VqMwE0GxlnRRGwMUlo/kvh0lAg4JM1DifFmXR3Pmw88=:9NXppc9bMjDqQRZbAWWpIGQh0+R2KW8czF8rYYBOphU='
const V2 = 'SCRAM-SHA-256$4096:63t+ouI4Je5XHCWjT16LSQ==$Xatpok4tTyCz6RRNpHvN6Rb+NR+enaqLdp6aXKpwiXQ=:5w/Wcv0pN3XBATfq9Qr4z66DROtMWE/iRhpO//jh/rA='
const V3 = 'md5caeea019c541fd5df3e8c7816b511d67'

describe('postgres passwords', () => {
  it('verifies a plain password against verifiers PostgreSQL made (SCRAM, SASLprep, md5)', () => {
    assert.equal(passwordMatches(V1, 'pencil', 'v1'), true)
    assert.equal(passwordMatches(V1, 'pencil ', 'v1'), false)
    assert.equal(passwordMatches(V2, 'pâss wörd ﬁ', 'v2'), true)
    assert.equal(passwordMatches(V3, 'pencil', 'v3'), true)
    assert.equal(passwordMatches(V3, 'pencil', 'v1'), false, 'md5 is salted with the role name')
    assert.equal(passwordMatches(null, 'pencil', 'v1'), false)
  })

  it('hashes given as the password must equal the stored one', () => {
    assert.equal(passwordKind(V1), 'scram')
    assert.equal(passwordKind(V3), 'md5')
    assert.equal(passwordKind('md5 is not a hash'), 'plain')
    assert.equal(passwordMatches(V1, V1, 'v1'), true)
    assert.equal(passwordMatches(V3, V1, 'v3'), false)
  })

  it('computes verifiers PostgreSQL would (same salt and iterations -> same keys)', () => {
    const v = parseScram(V1)!
    assert.equal(scramVerifier('pencil', v.salt, v.iterations), V1)
    assert.equal(md5Hash('pencil', 'v3'), V3)
    assert.ok(passwordToStore('pw', 'r', 'scram-sha-256').startsWith('SCRAM-SHA-256$4096:'))
    assert.equal(passwordToStore('pw', 'r', 'md5'), md5Hash('pw', 'r'))
    assert.equal(passwordToStore(V1, 'r', 'md5'), V1)
    assert.equal(passwordMatches(passwordToStore('% / @ : ? # $ x', 'r', 'scram-sha-256'), '% / @ : ? # $ x', 'r'), true)
  })
})
