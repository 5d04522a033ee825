import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sysctlValue } from '../../../modules/facts/sysctl.js'
import { decide, fileValues, fixedText, sameValue, sysctlValueOf } from '../../../modules/sysctl/conf.js'

describe('sysctl (Ansible semantics)', () => {
  it('values: booleans become 1/0, others are stripped', () => {
    assert.deepEqual(['yes', 'False', ' 4096 87380 ', undefined].map(sysctlValueOf), ['1', '0', '4096 87380', ''])
  })
  it("reads the file's values (the last one wins) and rewrites it: stripped, the key once, duplicates dropped", () => {
    const text = '# c\n  a.b = 1 \n\n ; x\nc=2\na.b=3\nnot a setting'
    assert.deepEqual(
      [...fileValues(text)],
      [
        ['a.b', '3'],
        ['c', '2'],
      ],
    )
    assert.equal(fixedText(text, 'a.b', '5', true), '# c\na.b=5\n\n; x\nc=2\nnot a setting\n')
    assert.equal(fixedText(text, 'a.b', '', false), '# c\n\n; x\nc=2\nnot a setting\n')
    assert.equal(fixedText('', 'n.k', '1 2', true), 'n.k=1 2\n')
  })
  it('compares running values field by field', () => {
    assert.ok(sameValue('10000\t65000', '10000 65000'))
    assert.ok(!sameValue(null, '1'))
    assert.ok(!sameValue('', '1'))
  })
  it('decides as Ansible: write, set, reload', () => {
    const a = { present: true, value: '1', reload: true, sysctlSet: false }
    assert.deepEqual(decide(a, undefined, '0'), { changed: true, writeFile: true, setProc: false, reload: true })
    assert.deepEqual(decide(a, '1', '0'), { changed: true, writeFile: false, setProc: false, reload: true })
    assert.deepEqual(decide(a, '1', '1'), { changed: false, writeFile: false, setProc: false, reload: false })
    assert.deepEqual(decide({ ...a, reload: false, sysctlSet: true }, '1', '0'), { changed: true, writeFile: false, setProc: true, reload: false })
    assert.deepEqual(decide({ ...a, present: false }, '1', '1'), { changed: true, writeFile: true, setProc: false, reload: true })
    assert.deepEqual(decide({ ...a, present: false }, undefined, '1'), { changed: false, writeFile: false, setProc: false, reload: false })
  })
  it('reads several keys in one sysctl (read-ahead); a key the kernel lacks reads as empty', () => {
    const reads: [string][] = [['net.ipv4.ip_forward'], ['net/core/somaxconn'], ['net.nope']]
    const out = { rc: 0, stdout: 'net.ipv4.ip_forward = 1\nnet.core.somaxconn = 4096\n', stderr: '' }
    assert.deepEqual(sysctlValue.batch!.parse(out, reads), ['1', '4096', ''])
    assert.equal(sysctlValue.parse({ rc: 255, stdout: '', stderr: 'permission denied' }, 'x'), null)
  })
})
