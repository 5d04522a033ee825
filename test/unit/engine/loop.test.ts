/** A task's loop: with_<lookup> read at load, items and per-item variables at run time (engine/run/loop.ts). */
import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import type { ModuleTask } from '../../../engine/playbook/types.js'
import { itemLabel, loopItem, loopItems, loopSettings, lookupSubdir } from '../../../engine/run/loop.js'
import { fixtures, loadError, opts } from '../playbook/fake-modules.js'

const F = path.join(fixtures, 'errors', 'play.yml')
const task = (body: string) => loadPlaybookText(`- hosts: all\n  tasks:\n    - debug: msg=x\n${body}`, F, opts).plays[0]!.tasks[0] as ModuleTask
const where = { file: F, line: 3 }

describe('loops', () => {
  it('with_<lookup> keeps its terms and the lookup name; loop_control reads pause, extended, templates', () => {
    const t = task('      with_subelements: ["{{ users }}", keys]\n      loop_control: {pause: 2, extended: "{{ ext }}", label: "{{ item.0 }}"}\n')
    assert.deepEqual([t.loop_with, t.loop], ['subelements', ['{{ users }}', 'keys']])
    assert.deepEqual(t.loop_control, { pause: 2, extended: '{{ ext }}', label: '{{ item.0 }}' })
    const s = loopSettings(t, { ext: true }, where)
    assert.deepEqual([s.loopVar, s.pauseMs, s.extended, s.allItems], ['item', 2000, true, true])
  })

  it('refuses an unknown loop_control key and an unknown lookup, at file:line', () => {
    assert.match(
      loadError(`- hosts: all\n  tasks:\n    - debug: msg=x\n      loop: [1]\n      loop_control: {pouse: 1}\n`, F),
      /F:5:\d+: unknown loop_control key 'pouse'/,
    )
    assert.match(loadError(`- hosts: all\n  tasks:\n    - debug: msg=x\n      with_itmes: [1]\n`, F), /F:4:7: 'with_itmes': there is no lookup plugin 'itmes'/)
  })

  it('items: with_ through the lookup, loop: must be a list', () => {
    const vars = { users: [{ name: 'a', keys: ['k1', 'k2'] }] }
    const t = task('      with_subelements: ["{{ users }}", keys]\n')
    assert.deepEqual(JSON.parse(JSON.stringify(loopItems(t, 'debug', vars, where))), [
      [{ name: 'a' }, 'k1'],
      [{ name: 'a' }, 'k2'],
    ])
    assert.deepEqual(vars.users[0]!.keys, ['k1', 'k2'], 'the variable is left as it was')
    assert.equal(loopItems(task('      when: true\n'), 'debug', {}, where), undefined)
    assert.throws(() => loopItems(task('      loop: "{{ 5 }}"\n'), 'debug', {}, where), /requires a list, got this instead: 5/)
  })

  it('each item: loop_var, index_var, ansible_loop with previtem/nextitem; the label', () => {
    const t = task('      loop: [a, b, c]\n      loop_control: {loop_var: x, index_var: i, extended: true, extended_allitems: false, label: "<{{ x }}>"}\n')
    const s = loopSettings(t, {}, where)
    const items = ['a', 'b', 'c']
    const mid = loopItem(s, items, 1, { keep: 1 })
    assert.deepEqual(mid.vars, {
      keep: 1,
      ansible_loop_var: 'x',
      x: 'b',
      ansible_index_var: 'i',
      i: 1,
      ansible_loop: { index: 2, index0: 1, first: false, last: false, length: 3, revindex: 2, revindex0: 1, nextitem: 'c', previtem: 'a' },
    })
    assert.deepEqual(Object.keys(mid.registered), ['x', 'ansible_loop_var', 'i', 'ansible_index_var', 'ansible_loop'])
    assert.equal(itemLabel(s, mid, where), '<b>')
  })

  it("with_first_found looks in the action's directory first", () => {
    assert.deepEqual(['template', 'include_vars', 'copy', 'debug'].map(lookupSubdir), ['templates', 'vars', 'files', 'files'])
  })
})
