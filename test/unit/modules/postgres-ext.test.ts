/** postgres_ext's fact from recorded psql output, and its decisions (community.postgresql 2.4's). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pgExtFact } from '../../../modules/facts/postgres.js'
import { postgresExt } from '../../../modules/postgres/ext.js'
import { validateParams } from '../../../modules/schema.js'
import type { Plan } from '../../../modules/types.js'
import { fakeCtx, ok } from './postgres-fixtures.js'

const HSTORE_17 = ok(
  '{"current" : "1.7", "available" : ["1.4","1.5","1.6","1.7","1.8"], "default" : "1.8", "pairs" : [["1.7","1.8"],["1.8","1.7"],["1.4","1.8"]]}\n',
)
const ABSENT = ok('{"current" : null, "available" : ["1.5","1.6"], "default" : "1.6", "pairs" : []}\n')
const UNKNOWN = ok('{"current" : null, "available" : [], "default" : null, "pairs" : []}\n')

const plan = (args: Record<string, unknown>, out: ReturnType<typeof ok>): Promise<Plan> =>
  postgresExt.plan(validateParams(postgresExt, { db: 'app', ...args }) as never, fakeCtx({ [pgExtFact.name]: out }))
const sql = (p: Plan) => (p.kind === 'change' ? p.changes.flatMap((c) => c.commands.map((x) => x.stdin?.trim())) : [p.reason])

describe('postgres_ext', () => {
  it('parses the extension: its version, what the server has, the pairs PostgreSQL lists', () => {
    assert.deepEqual(pgExtFact.parse(HSTORE_17, { user: 'postgres', db: 'app' }, 'hstore'), {
      current: '1.7',
      available: ['1.4', '1.5', '1.6', '1.7', '1.8'],
      defaultVersion: '1.8',
      pairs: [
        ['1.7', '1.8'],
        ['1.8', '1.7'],
        ['1.4', '1.8'],
      ],
    })
    assert.equal(pgExtFact.key!({ user: 'postgres', db: 'app' }, 'hstore'), 'app hstore')
  })

  it('creates, updates, drops with the statements Ansible runs; latest updates on every run', async () => {
    assert.deepEqual(sql(await plan({ name: 'citext', schema: 'ext', cascade: true }, ABSENT)), ['CREATE EXTENSION "citext" WITH SCHEMA "ext" CASCADE;'])
    assert.deepEqual(sql(await plan({ name: 'citext', version: '1.5' }, ABSENT)), [`CREATE EXTENSION "citext" VERSION '1.5';`])
    assert.deepEqual(sql(await plan({ name: 'hstore', version: '1.8' }, HSTORE_17)), [`ALTER EXTENSION "hstore" UPDATE TO '1.8';`])
    assert.deepEqual(sql(await plan({ name: 'hstore', version: 'latest' }, HSTORE_17)), ['ALTER EXTENSION "hstore" UPDATE;'])
    assert.equal((await plan({ name: 'hstore', version: '1.7' }, HSTORE_17)).kind, 'ok')
    assert.equal((await plan({ name: 'hstore' }, HSTORE_17)).kind, 'ok')
    assert.deepEqual(sql(await plan({ name: 'hstore', state: 'absent', cascade: true }, HSTORE_17)), ['DROP EXTENSION "hstore" CASCADE;'])
    assert.equal((await plan({ name: 'citext', state: 'absent' }, ABSENT)).kind, 'ok')
  })

  it("fails in community.postgresql's words", async () => {
    await assert.rejects(plan({ name: 'nosuch' }, UNKNOWN), /^ModuleFailure: Extension nosuch is not available$|Extension nosuch is not available/)
    await assert.rejects(plan({ name: 'citext', version: '9' }, ABSENT), /Passed version '9' is not available/)
    await assert.rejects(
      plan({ name: 'hstore', version: '1.5' }, HSTORE_17),
      /Passed version '1\.5' has no valid update path from the currently installed version '1\.7'/,
    )
  })
})
