/** nginx_site planned from recorded facts: no host, the fact parser and the planner are pure. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { validateParams, type ExecResult, type ModuleContext, type Plan } from '../../engine/index.js'
import nginxSite, { siteState } from './src/nginx-site.js'

const CONF = 'server { listen 80; }\n'
const recorded = {
  fresh: { rc: 0, stdout: '\nno\nnone\n', stderr: '' },
  converged: { rc: 0, stdout: `/etc/nginx/sites-available/airflow\nyes\nfile\n${CONF}`, stderr: '' },
  staleFileNoLink: { rc: 0, stdout: '\nyes\nfile\nserver { listen 8080; }\n', stderr: '' },
} satisfies Record<string, ExecResult>

/** A ModuleContext whose only fact answer is `out`; records the argv it was asked to run. */
function ctxWith(out: ExecResult): ModuleContext & { asked: string[][] } {
  const asked: string[][] = []
  return {
    asked,
    host: 'web1',
    check: true,
    diff: true,
    vars: {},
    run: async () => out,
    async fact(fact, ...args) {
      asked.push(fact.command(...args).argv)
      return fact.parse(out, ...args)
    },
    effect: () => undefined,
    findFile: (p) => p,
    render: (t) => t,
  }
}

const plan = (raw: Record<string, unknown>, out: ExecResult): Promise<Plan> => nginxSite.plan(validateParams(nginxSite, raw), ctxWith(out))
const summaries = (p: Plan) => (p.kind === 'change' ? p.changes.map((c) => c.summary) : [])

describe('nginx_site (example custom module) from recorded facts', () => {
  it('parses the fact output: link, dirs, content kept byte for byte', () => {
    assert.deepEqual(siteState.parse(recorded.converged, '', ''), { link: '/etc/nginx/sites-available/airflow', dirs: true, content: CONF })
    assert.deepEqual(siteState.parse(recorded.fresh, '', ''), { link: '', dirs: false, content: undefined })
  })

  it('paths travel as argv, never inside the script', async () => {
    const ctx = ctxWith(recorded.fresh)
    await nginxSite.plan(validateParams(nginxSite, { name: "x'; reboot; '$(id)", content: CONF }), ctx)
    const argv = ctx.asked[0]!
    assert.deepEqual(argv.slice(-2), ["/etc/nginx/sites-available/x'; reboot; '$(id)", "/etc/nginx/sites-enabled/x'; reboot; '$(id)"])
    assert.ok(!argv[2]!.includes('reboot'))
  })

  it('fresh host: create the dirs, write the file, link it; effects say what will be true', async () => {
    const p = await plan({ name: 'airflow', content: CONF.trimEnd() }, recorded.fresh)
    assert.deepEqual(summaries(p), ['create /etc/nginx/sites-available and sites-enabled', 'create /etc/nginx/sites-available/airflow', 'enable site airflow'])
    assert.ok(p.kind === 'change')
    assert.equal(p.changes[1]!.upload?.content, CONF, 'a final newline is added')
    assert.deepEqual(p.changes[2]!.commands[0]!.argv, ['ln', '-sfn', '--', '/etc/nginx/sites-available/airflow', '/etc/nginx/sites-enabled/airflow'])
    assert.deepEqual(p.changes[2]!.effects?.[0]?.value, { link: '/etc/nginx/sites-available/airflow', dirs: true, content: CONF })
  })

  it('converged host: ok with a reason', async () => {
    const p = await plan({ name: 'airflow', content: CONF }, recorded.converged)
    assert.deepEqual(p, {
      kind: 'ok',
      reason: 'site airflow is enabled with the wanted content',
      data: { available: '/etc/nginx/sites-available/airflow', enabled: '/etc/nginx/sites-enabled/airflow' },
    })
  })

  it('drifted content and a missing link: update with a diff, then enable', async () => {
    const p = await plan({ name: 'airflow', content: CONF }, recorded.staleFileNoLink)
    assert.deepEqual(summaries(p), ['update /etc/nginx/sites-available/airflow', 'enable site airflow'])
    assert.ok(p.kind === 'change')
    assert.deepEqual(p.changes[0]!.diff, { path: '/etc/nginx/sites-available/airflow', before: 'server { listen 8080; }\n', after: CONF })
  })

  it('disabled removes only the link; absent removes both; absent when absent is ok', async () => {
    assert.deepEqual(summaries(await plan({ name: 'airflow', content: CONF, state: 'disabled' }, recorded.converged)), ['disable site airflow'])
    const gone = await plan({ name: 'airflow', state: 'absent' }, recorded.converged)
    assert.ok(gone.kind === 'change')
    assert.deepEqual(gone.changes[0]!.commands[0]!.argv, ['rm', '-f', '--', '/etc/nginx/sites-enabled/airflow', '/etc/nginx/sites-available/airflow'])
    assert.equal((await plan({ name: 'airflow', state: 'absent' }, recorded.fresh)).kind, 'ok')
  })

  it('bad input fails with a message: a name with a slash, no content', async () => {
    await assert.rejects(plan({ name: '../x', content: CONF }, recorded.fresh), /name must be a file name/)
    await assert.rejects(plan({ name: 'airflow' }, recorded.fresh), /content is required when state is enabled/)
    assert.throws(() => validateParams(nginxSite, { name: 'a', state: 'on' }), /must be one of enabled, disabled, absent/)
  })
})
