import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deprecationText, gatherItemWarnings } from '../../../engine/run/module-warnings.js'

describe("a module's deprecations, in Ansible's words (Display.get_deprecation_message)", () => {
  it('a version, a date, neither; ansible.builtin is ansible-core; a full stop added unless the text ends in one', () => {
    const tail = 'Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.'
    assert.equal(
      deprecationText({ msg: 'x is old', version: '2.0', collection_name: 'a.b' }),
      `x is old. This feature will be removed from a.b in version 2.0. ${tail}`,
    )
    assert.equal(
      deprecationText({ msg: 'x is old!', date: '2025-01-01', collection_name: 'ansible.builtin' }),
      `x is old! This feature will be removed from ansible-core in a release after 2025-01-01. ${tail}`,
    )
    assert.equal(deprecationText({ msg: ' gone ' }), `gone. This feature will be removed in a future release. ${tail}`)
    assert.equal(deprecationText('plain text'), `plain text. This feature will be removed in a future release. ${tail}`)
  })
})

describe("a loop's warnings", () => {
  it("move from the items to the loop's result, in item order; a single one becomes a list", () => {
    const items: Record<string, unknown>[] = [{ changed: false, warnings: ['a'] }, { changed: true }, { warnings: 'b', deprecations: [{ msg: 'd' }] }]
    assert.deepEqual(gatherItemWarnings(items), { warnings: ['a', 'b'], deprecations: [{ msg: 'd' }] })
    assert.deepEqual(items, [{ changed: false }, { changed: true }, {}])
    assert.deepEqual(gatherItemWarnings([{ changed: false }]), {})
  })
})
