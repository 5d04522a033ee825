/** pg_hba.conf editing: one rule changed, every other line kept. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { covers, editHba, normalizeAddress, parseRule, type HbaRule } from '../../../modules/postgres/hba-file.js'
import { sameSetting, inBaseUnits } from '../../../modules/postgres/setting-value.js'
import { HBA } from './postgres-fixtures.js'

const rule = (r: Partial<HbaRule>): HbaRule => ({ type: 'host', databases: ['all'], users: ['all'], method: 'md5', options: [], ...r })

describe('pg_hba.conf editing', () => {
  it('parses rules (mask column folded into CIDR, comments ignored), skips other lines', () => {
    assert.deepEqual(parseRule('host  db1,db2 u 10.1.2.3 255.255.0.0 md5 # c'), rule({ databases: ['db1', 'db2'], users: ['u'], address: '10.1.0.0/16' }))
    assert.deepEqual(parseRule('local all all peer map=x'), { type: 'local', databases: ['all'], users: ['all'], method: 'peer', options: ['map=x'] })
    assert.equal(parseRule('# host all all 0.0.0.0/0 trust'), undefined)
    assert.equal(normalizeAddress('10.231.5.9/16'), '10.231.0.0/16')
    assert.equal(normalizeAddress('::1/128'), '::1/128')
  })

  it('replaces the matching rule in place, keeping every other line byte for byte', () => {
    const e = editHba(HBA, rule({ address: '127.0.0.1/32', method: 'trust' }), 'present')
    assert.equal(e.action, 'replaced')
    assert.equal(
      e.content,
      HBA.replace(
        'host    all             all             127.0.0.1/32            scram-sha-256',
        'host    all             all             127.0.0.1/32            trust',
      ),
    )
    assert.equal(editHba(HBA, rule({ address: '127.0.0.1/32', method: 'scram-sha-256' }), 'present').action, 'unchanged')
  })

  it('inserts a new rule before the first rule that would shadow it, else appends', () => {
    const local = editHba(HBA, { type: 'local', databases: ['airflow'], users: ['airflow'], method: 'md5', options: [] }, 'present')
    const lines = local.content.split('\n')
    assert.equal(
      lines.indexOf('local   airflow         airflow                                 md5') + 1,
      lines.indexOf('local   all             all                                     peer'),
    )
    const host = editHba(HBA, rule({ databases: ['airflow'], users: ['airflow'], address: '10.231.0.0/16' }), 'present')
    assert.ok(host.content.endsWith('::1/128                 scram-sha-256\nhost    airflow         airflow         10.231.0.0/16           md5\n'))
    assert.equal(covers(rule({ address: '10.0.0.0/8' }), rule({ address: '10.231.0.0/16' })), true)
    assert.equal(covers(rule({ address: '10.231.0.0/16' }), rule({ address: '10.0.0.0/8' })), false)
  })

  it('removes the rule with state=absent and is unchanged when it is not there', () => {
    const added = editHba(HBA, rule({ databases: ['a'], users: ['b'], address: '10.0.0.0/8' }), 'present').content
    assert.deepEqual(editHba(added, rule({ databases: ['a'], users: ['b'], address: '10.0.0.0/8', method: 'trust' }), 'absent'), {
      content: HBA,
      action: 'removed',
    })
    assert.equal(editHba(HBA, rule({ address: '10.0.0.0/8' }), 'absent').action, 'unchanged')
  })
})

describe('setting values', () => {
  it('compares with units, booleans and enums as PostgreSQL reads them', () => {
    assert.equal(inBaseUnits('16384', '8kB'), 128 * 1024 * 1024)
    assert.equal(sameSetting('128MB', '16384', 'integer', '8kB'), true)
    assert.equal(sameSetting('1min', '60s', 'integer', 's'), true)
    assert.equal(sameSetting('yes', 'on', 'bool', null), true)
    assert.equal(sameSetting('REPLICA', 'replica', 'enum', null), true)
    assert.equal(sameSetting('*', 'localhost', 'string', null), false)
  })
})
