/**
 * postgres_set: a server setting through ALTER SYSTEM (community.postgresql's postgresql_set).
 * ok/changed is decided from pg_settings (the running value, its unit and context) and from
 * postgresql.auto.conf as the server reads it now (pg_file_settings), so a value written but not
 * yet in effect is not written again. The module reloads the configuration itself; settings of
 * context "postmaster" (listen_addresses, shared_buffers...) need a restart: the result carries
 * restart_required: true and the summary says so; notify a restart handler from the task.
 *
 * Effects: `postgres.setting` key=<name> -> the SettingFact after the change (auto = the new value,
 * running value updated unless a restart is needed).
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pgSettingFact, type SettingFact } from '../facts/postgres.js'
import { defineModule, type Plan } from '../types.js'
import { loginOf, loginParams, planOrDefer } from './login.js'
import { sameSetting } from './setting-value.js'
import { psql, quoteIdent, quoteLiteral } from './sql.js'

export const postgresSet = defineModule({
  name: 'postgres_set',
  aliases: ['postgresql_set'],
  summary: 'Set or reset a PostgreSQL server setting with ALTER SYSTEM',
  description: 'Reloads the configuration itself; returns restart_required for settings that only a restart applies.',
  params: {
    name: { type: 'str', required: true, description: 'Setting name (listen_addresses, work_mem, ...; custom ones need a dot).' },
    value: { type: 'str', description: "Value, written as one SQL literal ('*', '128MB', 'on')." },
    reset: { type: 'bool', default: false, description: 'Remove the setting from postgresql.auto.conf (ALTER SYSTEM RESET).' },
    ...loginParams,
    login_db: {
      ...loginParams.login_db,
      aliases: [...loginParams.login_db.aliases, 'db'],
      description: 'Database to connect to (default postgres); `db` as in community.postgresql.',
    },
  },
  mutuallyExclusive: [['value', 'reset']],
  requiredIf: [['reset', false, ['value']]],
  returns: {
    name: 'the setting',
    value: 'the value asked for (null after reset)',
    prev_value: 'the value before (postgresql.auto.conf, else the running value)',
    context: 'pg_settings.context (postmaster: restart needed)',
    restart_required: 'true when the running server does not use the value yet and only a restart applies it',
  },
  examples: `- name: PostgreSQL listens for the Airflow hosts
  community.postgresql.postgresql_set:
    name: listen_addresses
    value: "*"
  notify: restart postgresql
`,
  async plan(p, ctx): Promise<Plan> {
    const name = p.name.toLowerCase()
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) throw new ModuleFailure(`argument 'name': ${JSON.stringify(p.name)} is not a setting name`)
    const login = loginOf(p)
    return planOrDefer(ctx.check, `setting ${name}`, async () => {
      const s = await ctx.fact(pgSettingFact, login, name)
      if (!s.exists && !name.includes('.')) throw new ModuleFailure(`argument 'name': PostgreSQL has no setting ${JSON.stringify(name)}`)
      const same = (a: string, b: string) => sameSetting(a, b, s.vartype, s.unit)
      const running = s.setting ?? ''
      const prev = s.auto ?? (s.exists ? `${running}${s.unit ? ` (${s.unit})` : ''}` : null)
      const postmaster = s.context === 'postmaster'
      const quoted = quoteIdent(name)
      const reload = 'SELECT pg_reload_conf();'

      if (p.reset) {
        const data = { name, value: null, prev_value: prev, context: s.context, restart_required: false }
        if (s.auto === null || s.auto === undefined)
          return { kind: 'ok', reason: `${name} has no ALTER SYSTEM value`, data: { ...data, restart_required: !!s.pendingRestart } }
        const value: SettingFact = { ...s, auto: null, pendingRestart: postmaster || s.pendingRestart }
        data.restart_required = postmaster
        return {
          kind: 'change',
          data,
          changes: [
            {
              summary: `reset ${name} (was ${s.auto})${postmaster ? '; restart required' : ''}`,
              commands: [psql(login, `ALTER SYSTEM RESET ${quoted};\n${reload}`)],
              effects: [{ fact: pgSettingFact.name, key: name, value }],
            },
          ],
        }
      }

      const want = p.value!
      const inEffect = s.exists && same(want, running)
      const restartRequired = postmaster && !inEffect
      const data = { name, value: want, prev_value: prev, context: s.context, restart_required: restartRequired }
      const configured = s.auto !== null && s.auto !== undefined ? same(want, s.auto) : inEffect
      if (configured) {
        const reason = `${name} is ${want}${s.auto != null ? ' (postgresql.auto.conf)' : ''}${restartRequired ? '; not in effect until PostgreSQL restarts' : ''}`
        return { kind: 'ok', reason, data }
      }
      const value: SettingFact = { ...s, exists: true, auto: want, ...(postmaster ? { pendingRestart: !inEffect } : { setting: want }) }
      return {
        kind: 'change',
        data,
        changes: [
          {
            summary: `set ${name} = ${quoteLiteral(want)} (was ${prev ?? 'unset'})${restartRequired ? '; restart required' : ''}`,
            commands: [psql(login, `ALTER SYSTEM SET ${quoted} = ${quoteLiteral(want)};\n${reload}`)],
            effects: [{ fact: pgSettingFact.name, key: name, value }],
          },
        ],
      }
    })
  },
})
