/** invocation.module_args: what a loop item's registered result holds of the module's arguments, as Ansible's. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NO_LOG_VALUE, invocationOf } from '../../../modules/invocation.js'
import { validateParams } from '../../../modules/schema.js'
import { file } from '../../../modules/file.js'
import { user } from '../../../modules/user.js'
import { copy } from '../../../modules/copy.js'

const of = (mod: Parameters<typeof invocationOf>[0], raw: Record<string, unknown>) => invocationOf(mod, raw, validateParams(mod as never, raw))?.module_args

describe('invocationOf', () => {
  it('every argument the module knows, null when not given, defaults filled, an alias given beside its name', () => {
    const args = of(file, { dest: '/srv/d', state: 'directory' })
    assert.ok(args)
    assert.equal(args.path, '/srv/d')
    assert.equal(args.dest, '/srv/d')
    assert.equal(args.state, 'directory')
    assert.equal(args.owner, null)
    assert.equal(args.mode, null)
    assert.equal(args.follow, true)
    // an alias not given is not there
    assert.equal('name' in args, false)
  })

  it('a no_log argument is masked as Ansible masks it', () => {
    const args = of(user, { name: 'app', password: '$6$salt$hash' })
    assert.equal(args?.password, NO_LOG_VALUE)
    assert.equal(args?.name, 'app')
    assert.doesNotMatch(JSON.stringify(args), /\$6\$salt/)
  })

  it('content made secret by `secret: true` is masked too', () => {
    const args = of(copy, { content: 'hunter2', dest: '/etc/x', secret: true })
    assert.equal(args?.content, NO_LOG_VALUE)
    assert.equal(of(copy, { content: 'plain', dest: '/etc/x' })?.content, 'plain')
  })

  it('raw, script and fetch run no module of their own: no invocation', () => {
    assert.equal(invocationOf({ name: 'raw', params: {} }, {}, {}), undefined)
    assert.equal(invocationOf({ name: 'fetch', params: {} }, {}, {}), undefined)
  })

  it('a module written for Ansible: its arguments as given', () => {
    assert.deepEqual(invocationOf({ name: 'mine', params: {}, anyParams: true }, { a: 1 }, { a: 1 }), { module_args: { a: 1 } })
  })
})
