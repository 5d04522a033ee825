import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { expect } from '../../../modules/expect.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'

const params = (raw: Record<string, unknown>) => validateParams(expect, { command: 'passwd deploy', responses: { '(?i)password:': 'pw' }, ...raw })
const ran = (rc: number, stdout: string, stderr = '') => ({ rc, stdout, stderr, startUs: 0, endUs: 1_500_000 })

describe('expect', () => {
  it('sends the argv, answers and timeout as JSON on stdin (never in argv); timeout null means none', async () => {
    const plan = await expect.plan(params({ timeout: null, responses: { 'a:': ['x', 2], 'b:': true } }), fakeCtx({}))
    assert.equal(plan.kind, 'change')
    const cmd = plan.kind === 'change' ? plan.changes[0]!.commands[0]! : undefined
    assert.deepEqual(JSON.parse(cmd!.stdin!), {
      argv: ['passwd', 'deploy'],
      responses: [
        ['a:', ['x', 2]],
        ['b:', true],
      ],
      timeout: null,
      echo: false,
    })
    assert.ok(!cmd!.argv.some((a) => a.includes('"x"')))
    assert.equal(params({}).timeout, 30)
  })

  it("reads the driver's result as Ansible's module reports it", () => {
    const p = params({})
    const ok = expect.interpret!(p, ran(0, 'Password: \r\nok\r\n'))!
    assert.equal(ok.failed, false)
    assert.deepEqual(
      { ...ok.data, start: undefined, end: undefined },
      {
        cmd: 'passwd deploy',
        stdout: 'Password: \r\nok',
        stdout_lines: ['Password: ', 'ok'],
        start: undefined,
        end: undefined,
        delta: '0:00:01.500000',
        changed: true,
        rc: 0,
      },
    )
    const timedOut = expect.interpret!(p, ran(1, 'Password: ', 'ACPLAY-EXPECT timeout\n'))!
    assert.deepEqual([timedOut.failed, timedOut.msg, timedOut.data?.rc, timedOut.data?.stdout], [true, 'command exceeded timeout', null, 'Password: '])
    assert.deepEqual(expect.interpret!(p, ran(1, '', "ACPLAY-EXPECT No remaining responses for 'a', output was 'b'a''\n")), {
      failed: true,
      msg: "No remaining responses for 'a', output was 'b'a''",
      data: {},
    })
    const exit3 = expect.interpret!(p, ran(3, 'oops\r\n'))!
    assert.deepEqual([exit3.failed, exit3.msg, exit3.data?.rc], [true, 'non-zero return code', 3])
  })
})
