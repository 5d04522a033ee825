import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { Templar } from '../../../engine/vars/template.js'
import { versionCompare } from '../../../engine/vars/tests.js'

const t = new Templar()
const vars = {
  s: 'astro',
  n: 3,
  f: 1.5,
  l: [1, 2],
  d: { a: 1 },
  nothing: null,
  ok: { changed: false, failed: false },
  changed: { changed: true, failed: false },
  failed: { changed: false, failed: true },
  skipped: { changed: false, skipped: true },
  looped: { results: [{ changed: false }, { changed: true }] },
}
const ev = (e: string) => t.evaluate(e, vars)

describe('type tests', () => {
  it('defined, undefined, none', () => {
    assert.deepEqual(
      [ev('s is defined'), ev('x is defined'), ev('x is undefined'), ev('nothing is defined'), ev('nothing is none'), ev('s is none')],
      [true, false, true, true, true, false],
    )
  })
  it('string, number, mapping, iterable, sequence', () => {
    const is = (test: string) => ['s', 'n', 'f', 'l', 'd', 'nothing'].map((v) => ev(`${v} is ${test}`))
    assert.deepEqual(is('string'), [true, false, false, false, false, false])
    assert.deepEqual(is('number'), [false, true, true, false, false, false])
    assert.deepEqual(is('mapping'), [false, false, false, false, true, false])
    assert.deepEqual(is('iterable'), [true, false, false, true, true, false])
    assert.deepEqual(is('sequence'), [true, false, false, true, true, false])
    assert.deepEqual(
      [ev('n is integer'), ev('f is float'), ev('true is boolean'), ev('true is true'), ev('1 is true'), ev('false is false')],
      [true, true, true, true, false, true],
    )
  })
  it('is not negates', () => {
    assert.equal(ev('s is not string'), false)
    assert.equal(ev('x is not defined'), true)
  })
  it('type tests that only look at the type answer false for an undefined value, as Jinja does', () => {
    assert.deepEqual([ev('x is string'), ev('x is none'), ev('x is number'), ev('x is mapping')], [false, false, false, false])
  })
  it('tests that use the value refuse an undefined value, naming it', () => {
    for (const e of ['x is iterable', 'x is lower', "x is match('a')", 'x is changed', 'x is eq(1)']) {
      assert.throws(
        () => ev(e),
        (err: unknown) => err instanceof AcplayError && err.code === 'E_UNDEFINED_VAR' && err.message.includes("'x' is undefined"),
      )
    }
  })
})

describe('task result tests', () => {
  it('succeeded/success, failed/failure, changed/change, skipped/skip', () => {
    const row = (r: string) => ['succeeded', 'success', 'failed', 'failure', 'changed', 'change', 'skipped', 'skip'].map((x) => ev(`${r} is ${x}`))
    assert.deepEqual(row('ok'), [true, true, false, false, false, false, false, false])
    assert.deepEqual(row('changed'), [true, true, false, false, true, true, false, false])
    assert.deepEqual(row('failed'), [false, false, true, true, false, false, false, false])
    assert.deepEqual(row('skipped'), [true, true, false, false, false, false, true, true])
  })
  it('a loop result without its own changed flag is changed when any item changed', () => {
    assert.equal(ev('looped is changed'), true)
  })
  it('need a result dict', () => {
    assert.throws(() => ev('s is changed'), /The 'changed' test expects a dictionary/)
  })
})

describe('match, search, regex', () => {
  it('match is anchored at the start, search is not', () => {
    assert.equal(ev("s is match('ast')"), true)
    assert.equal(ev("s is match('str')"), false)
    assert.equal(ev("s is search('str')"), true)
    assert.equal(ev("s is match('AST', ignorecase=true)"), true)
    assert.equal(ev("s is regex('^a.*o$')"), true)
  })
})

describe('version', () => {
  it('compares loosely, numerically per part', () => {
    assert.equal(ev("'2.10' is version('2.9', '>')"), true)
    assert.equal(ev("'2.10' is version('2.10.0', '<')"), true)
    assert.equal(ev("'14.2' is version('14', '>=')"), true)
    assert.equal(ev("'1.0' is version('1.0')"), true)
    assert.equal(ev("'1.0' is version('1.0', 'ne')"), false)
    assert.equal(ev("'3.11.2' is version_compare('3.8', 'ge')"), true)
    assert.equal(versionCompare('1.2a', '1.2'), 1)
  })
  it('rejects an unknown operator', () => {
    assert.throws(() => ev("'1' is version('2', '~')"), /Invalid operator type \(~\)/)
  })
})

describe('comparison and container tests', () => {
  it('eq/ne/lt/gt, in, contains, even/odd, divisibleby, lower/upper, subset', () => {
    assert.deepEqual([ev('n is eq(3)'), ev('n is ne(3)'), ev('n is lt(4)'), ev('n is gt(4)'), ev('n is ge(3)')], [true, false, true, false, true])
    assert.deepEqual([ev('2 is in(l)'), ev('l is contains(2)'), ev('n is odd'), ev('n is even'), ev('9 is divisibleby(3)')], [true, true, true, false, true])
    assert.deepEqual([ev("'abc' is lower"), ev("'ABC' is upper"), ev('[1] is subset(l)'), ev('l is superset([2])')], [true, true, true, true])
  })
})
