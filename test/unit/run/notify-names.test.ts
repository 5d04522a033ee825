/** notify's names as the task reports them: each templated with the task's (or the item's) variables. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { notifyNames } from '../../../engine/run/notify.js'

const where = { file: 'site.yml', line: 3 }

describe('notifyNames', () => {
  it('renders a name per item, keeps a plain one as written', () => {
    assert.deepEqual(notifyNames(['restart {{ item }}', 'reload all'], { item: 'nginx' }, where), ['restart nginx', 'reload all'])
  })
  it('a variable holding a list notifies each name in it', () => {
    assert.deepEqual(notifyNames(['{{ handlers_to_run }}'], { handlers_to_run: ['a', 'b'] }, where), ['a', 'b'])
  })
  it('an undefined variable leaves the name as written (the play warns that nothing answered it)', () => {
    assert.deepEqual(notifyNames(['restart {{ missing }}'], {}, where), ['restart {{ missing }}'])
  })
})
