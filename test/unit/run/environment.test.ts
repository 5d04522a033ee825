/** The `environment` keyword at run time: layers merged, a mapping's values templated one by one (Ansible's Task._post_validate_environment). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { environmentOf } from '../../../engine/run/keyword-value.js'
import { withEnvironment } from '../../../engine/run/connections.js'
import { quote } from '../../../engine/connection/quote.js'

const where = { file: 'site.yml', line: 3, col: 3 }
const play = { PATH: '/usr/local/bin:{{ ansible_env.PATH }}', PIP_INDEX_URL: '{{ index }}simple/' }

test('layers merge outer first, the inner winning; none is undefined', () => {
  assert.equal(environmentOf([undefined, undefined], {}, where), undefined)
  assert.deepEqual(environmentOf([{ A: '1', B: '{{ b }}' }, [{ B: 'inner' }], '{{ more }}'], { b: 'x', more: { C: 3 } }, where), { A: '1', B: 'inner', C: 3 })
})

test('a value needing ansible_env is left out before facts are gathered, for fact gathering and other tasks alike', () => {
  const vars = { index: 'http://10.231.0.1/' }
  for (const gathering of [true, false]) assert.deepEqual(environmentOf([play], vars, where, gathering), { PIP_INDEX_URL: 'http://10.231.0.1/simple/' })
  // once gathered, it has its value
  assert.deepEqual(environmentOf([play], { ...vars, ansible_env: { PATH: '/usr/bin' } }, where), {
    PATH: '/usr/local/bin:/usr/bin',
    PIP_INDEX_URL: 'http://10.231.0.1/simple/',
  })
})

test('any other undefined variable fails the task, naming it', () => {
  assert.throws(
    () => environmentOf([play], { ansible_env: { PATH: '/usr/bin' } }, where, true),
    (e: unknown) => e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR' && /'index' is undefined/.test(e.message),
  )
  // a template giving the whole mapping is rendered whole: ansible_env missing there fails, as in Ansible
  assert.throws(
    () => environmentOf(['{{ {"PATH": ansible_env.PATH} }}'], {}, where, true),
    (e: unknown) => e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR',
  )
})

test("the exported values are Python's str() of them, as Ansible's (True, None, [1, 'a'], {'k': 1}), quoted", async () => {
  const scripts: string[] = []
  const conn = {
    host: 'h',
    exec: async (s: string) => {
      scripts.push(s)
      return { rc: 0, stdout: '', stderr: '' }
    },
    close: async () => {},
  }
  await withEnvironment(conn as never, { T: true, N: null, L: [1, 'a'], D: { k: 1 }, F: 1.5 }).exec('env')
  const values = ['True', 'None', "[1, 'a']", "{'k': 1}", '1.5']
  assert.equal(scripts[0], `${['T', 'N', 'L', 'D', 'F'].map((k, i) => `export ${k}=${quote(values[i]!)}`).join('\n')}\nenv`)
})
