import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compareVersions, formatVersion, mustParseVersion, parseSpecifiers, parseVersion, satisfies } from '../../../modules/pip/pep440.js'
import { normalizeName, parseRequirement, requirementText } from '../../../modules/pip/requirement.js'
import { evaluateMarker } from '../../../modules/pip/markers.js'
import { shlexSplit } from '../../../engine/connection/shlex.js'

const sat = (v: string, s: string, prereleases?: boolean) => satisfies(v, parseSpecifiers(s), { prereleases })

describe('PEP 440 versions', () => {
  it('parses and normalises', () => {
    assert.equal(formatVersion(mustParseVersion('1.0.0RC1')), '1.0.0rc1')
    assert.equal(formatVersion(mustParseVersion('v1.0-post2')), '1.0.post2')
    assert.equal(formatVersion(mustParseVersion('1!2.0a.dev3+Ubuntu.1')), '1!2.0a0.dev3+ubuntu.1')
    assert.equal(formatVersion(mustParseVersion('1.0-1')), '1.0.post1')
    assert.equal(parseVersion('not a version'), undefined)
    assert.equal(parseVersion('1.0.0-foo'), undefined)
  })
  it('orders as PEP 440 does', () => {
    const order = ['1.0.dev0', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0+local', '1.0.post1.dev1', '1.0.post1', '1.1', '2.0', '1!0.1']
    for (let i = 0; i + 1 < order.length; i++) {
      assert.equal(compareVersions(mustParseVersion(order[i]!), mustParseVersion(order[i + 1]!)), -1, `${order[i]} < ${order[i + 1]}`)
    }
    assert.equal(compareVersions(mustParseVersion('1.0'), mustParseVersion('1.0.0')), 0)
  })
})

describe('PEP 440 specifiers', () => {
  it('== with and without wildcards', () => {
    assert.ok(sat('2.0.5', '==2.0.*'))
    assert.ok(sat('2.0', '==2.0.*'))
    assert.ok(!sat('2.1.0', '==2.0.*'))
    assert.ok(sat('2.0.0', '==2.0.0.*'))
    assert.ok(sat('2.0.0.1', '==2.0.0.*'))
    assert.ok(!sat('2.0.1', '==2.0.0.*'))
    assert.ok(sat('1.0.0', '==1.0'))
    assert.ok(sat('1.0+abc', '==1.0'))
    assert.ok(!sat('1.0+abc', '==1.0+def'))
    assert.ok(!sat('2.0.5', '!=2.0.*'))
  })
  it('ordered comparisons, ~= and ===', () => {
    assert.ok(sat('1.4.5', '~=1.4.2'))
    assert.ok(!sat('1.5.0', '~=1.4.2'))
    assert.ok(sat('2.9', '~=2.2'))
    assert.ok(!sat('3.0', '~=2.2'))
    assert.ok(sat('1.1', '>=1.0,<2'))
    assert.ok(!sat('2.0', '>=1.0,<2'))
    assert.ok(!sat('1.0.post1', '>1.0'))
    assert.ok(sat('1.0.post1', '>=1.0'))
    assert.ok(sat('1.1', '>1.0'))
    assert.ok(sat('1.0', '<=1.0'))
    assert.ok(sat('foobar', '===foobar'))
    assert.ok(!sat('1.0.0', '===1.0'))
  })
  it('excludes pre-releases unless asked or named', () => {
    assert.ok(!sat('2.0rc1', '>=1.0'))
    assert.ok(sat('2.0rc1', '>=1.0', true))
    assert.ok(sat('2.0rc1', '>=2.0rc1'))
    assert.ok(!sat('2.0rc1', '<2.0', true), '<2.0 excludes 2.0 pre-releases')
    assert.ok(!sat('1.0.dev1', ''))
    assert.ok(sat('1.0', ''))
  })
  it('rejects malformed specifiers with the offending text', () => {
    assert.throws(() => parseSpecifiers('>=2.0.*'), /only allowed with == and !=/)
    assert.throws(() => parseSpecifiers('~=1'), /two release segments/)
    assert.throws(() => parseSpecifiers('=>1.0'), /invalid version specifier "=>1.0"/)
    assert.throws(() => parseSpecifiers('==1.0; rm -rf /'), /invalid/)
  })
})

describe('requirements and names', () => {
  it('normalises names (PEP 503)', () => {
    assert.equal(normalizeName('Astronomer_Core..Pkg'), 'astronomer-core-pkg')
  })
  it('parses name, extras, specifiers, markers', () => {
    const r = parseRequirement('Astronomer-Core[Postgres, celery]==2.0.*; python_version >= "3.8"')
    assert.equal(r.key, 'astronomer-core')
    assert.deepEqual(r.extras, ['postgres', 'celery'])
    assert.deepEqual(
      r.specifiers.map((s) => s.text),
      ['==2.0.*'],
    )
    assert.equal(r.marker, 'python_version >= "3.8"')
    assert.equal(requirementText(r), 'Astronomer-Core[postgres,celery]==2.0.*; python_version >= "3.8"')
    assert.deepEqual(
      parseRequirement('foo (>=1.0,<2)').specifiers.map((s) => s.text),
      ['>=1.0', '<2'],
    )
  })
  it('rejects URLs, options and hostile text with a clear message', () => {
    assert.throws(() => parseRequirement('pkg @ https://x/y.whl'), /URLs and paths are not supported/)
    assert.throws(() => parseRequirement('--index-url=http://evil'), /looks like an option/)
    assert.throws(() => parseRequirement('foo$(touch /tmp/x)'), /cannot parse requirement/)
    assert.throws(() => parseRequirement('foo\nbar'), /newline/)
  })
})

describe('markers', () => {
  const env = { python_version: '3.11', sys_platform: 'linux' }
  it('evaluates extras and versions', () => {
    assert.ok(evaluateMarker('extra == "Postgres"', { ...env, extra: 'postgres' }))
    assert.ok(!evaluateMarker('extra == "postgres"', env))
    assert.ok(evaluateMarker('python_version >= "3.8" and (extra == "pg" or extra == "postgres")', { ...env, extra: 'postgres' }))
    assert.ok(!evaluateMarker('python_version < "3.8"', env))
    assert.ok(evaluateMarker("'linux' in sys_platform", env))
  })
})

describe('shlexSplit', () => {
  it('splits like a shell, without one', () => {
    assert.deepEqual(shlexSplit(`--timeout 30 --trusted-host "my host" 'a b' c\\ d ''`), ['--timeout', '30', '--trusted-host', 'my host', 'a b', 'c d', ''])
    assert.throws(() => shlexSplit('"open'), /no closing quotation/)
  })
})
