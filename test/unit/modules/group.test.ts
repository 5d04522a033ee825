/** group.info parse from recorded output, and the name check. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkAccountName, groupInfo } from '../../../modules/facts/group.js'

const out = (stdout: string, rc = 0) => ({ rc, stdout, stderr: '' })

describe('group.info fact', () => {
  it('parses recorded getent output', () => {
    assert.deepEqual(groupInfo.parse(out('docker:x:998:astro,deploy\n'), 'docker'), { exists: true, name: 'docker', gid: 998, members: ['astro', 'deploy'] })
    assert.deepEqual(groupInfo.parse(out('astro:x:996:\n'), 'astro'), { exists: true, name: 'astro', gid: 996, members: [] })
    assert.deepEqual(groupInfo.parse(out(''), 'nope'), { exists: false })
    assert.throws(() => groupInfo.parse(out('', 1), 'x'), /cannot read group x/)
  })
  it('positional name, key', () => {
    assert.equal(groupInfo.command('$(x)').argv.at(-1), '$(x)')
    assert.equal(groupInfo.key!('g'), 'g')
  })
  it('accepts useradd-style names, rejects hostile ones', () => {
    for (const ok of ['astro', '_apt', 'a.b-c_d', 'x']) assert.equal(checkAccountName('group', ok), undefined)
    for (const bad of ['', 'a b', '-x', '0', '1000', '$(id)', 'a;b', 'a\nb', "o'neil", 'x'.repeat(33)])
      assert.match(checkAccountName('user', bad)!, /^invalid user name/)
  })
})
