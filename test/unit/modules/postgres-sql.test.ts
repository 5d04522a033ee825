import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { conninfo, jsonLine, PgUnavailable, psql, psqlOutput, quoteIdent, quoteLiteral, sqlError } from '../../../modules/postgres/sql.js'
import { REC } from './postgres-fixtures.js'

describe('postgres sql quoting', () => {
  it('quoteIdent makes any name ONE identifier', () => {
    assert.equal(quoteIdent('airflow'), '"airflow"')
    assert.equal(quoteIdent('a"; DROP ROLE x; --'), '"a""; DROP ROLE x; --"')
    assert.equal(quoteIdent('Mixed Case'), '"Mixed Case"')
    assert.throws(() => quoteIdent(''), /must not be empty/)
    assert.throws(() => quoteIdent('a\u0000b'), /NUL/)
  })

  it('quoteLiteral follows quote_literal (E-form with a backslash)', () => {
    assert.equal(quoteLiteral("it's"), "'it''s'")
    assert.equal(quoteLiteral("'; DROP ROLE x; --"), "'''; DROP ROLE x; --'")
    assert.equal(quoteLiteral('a\\b'), "E'a\\\\b'")
    assert.equal(quoteLiteral(':foo \\q\n'), "E':foo \\\\q\n'")
  })

  it("sqlError: psql's error as psycopg2 words it (no ERROR: tag or location, DETAIL kept, one newline)", () => {
    assert.equal(sqlError('ERROR:  invalid locale name: "xx_XX.UTF-8"\n'), 'invalid locale name: "xx_XX.UTF-8"\n')
    assert.equal(
      sqlError('psql:<stdin>:1: ERROR:  role "r" cannot be dropped because some objects depend on it\nDETAIL:  owner of database d\n'),
      'role "r" cannot be dropped because some objects depend on it\nDETAIL:  owner of database d\n',
    )
  })

  it('conninfo quotes every value', () => {
    assert.equal(conninfo({ user: "o'k\\", db: 'a b' }), "user='o\\'k\\\\' dbname='a b' application_name='acplay'")
    assert.match(conninfo({ user: 'postgres', host: '10.231.1.11', port: 5433 }), /host='10.231.1.11' port='5433'$/)
  })

  it('conninfo: a socket directory wins over no host and over localhost, as community.postgresql', () => {
    const host = (login: { host?: string; socket?: string }) => /host='([^']*)'/.exec(conninfo({ user: 'postgres', ...login }))?.[1]
    // geerlingguy.postgresql passes login_host: localhost with login_unix_socket: peer auth on the socket
    assert.equal(host({ host: 'localhost', socket: '/var/run/postgresql' }), '/var/run/postgresql')
    assert.equal(host({ socket: '/var/run/postgresql' }), '/var/run/postgresql')
    assert.equal(host({ host: '127.0.0.1', socket: '/var/run/postgresql' }), '127.0.0.1')
    assert.equal(host({ host: 'localhost', socket: '' }), 'localhost')
    assert.equal(host({}), undefined)
  })

  it('psql puts SQL and the password on stdin, never in argv', () => {
    const c = psql({ user: 'postgres', password: 'pw $(x)' }, 'SELECT 1;')
    assert.ok(!c.argv.some((a) => a.includes('pw $(x)') || a.includes('SELECT')))
    assert.equal(c.stdin, 'pw $(x)\nSELECT 1;\n')
    assert.deepEqual(c.argv.slice(4, 6), ['postgres', '1'])
    assert.deepEqual(c.argv.slice(6, 14), ['psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d'])
    assert.equal(psql({ user: 'postgres' }, 'SELECT 1;').argv[5], '0')
    assert.throws(() => psql({ user: 'postgres', password: 'a\nb' }, ''), /login_password must not contain a newline/)
  })

  it('classifies psql failures: missing psql / server down are PgUnavailable, SQL errors fail', () => {
    assert.throws(() => psqlOutput(REC.psqlMissing, 'x'), PgUnavailable)
    assert.throws(() => psqlOutput(REC.serverDown, 'x'), PgUnavailable)
    assert.throws(
      () => psqlOutput({ rc: 3, stdout: '', stderr: 'ERROR:  invalid input syntax for type timestamp' }, 'role a'),
      /reading role a failed: ERROR: {2}invalid input/,
    )
    assert.deepEqual(jsonLine('{"a":1}\n{"b":2}\n', 1, 'x'), { b: 2 })
    assert.throws(() => jsonLine('{"a":1}\n', 1, 'x'), /printed 1 line/)
  })
})
