import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { repr } from '../../../engine/vars/py.js'
import { Templar } from '../../../engine/vars/template.js'

const t = new Templar()
const vars = {
  users: [
    { name: 'astro', uid: 1001, admin: true },
    { name: 'bob', uid: 1002, admin: false },
    { name: 'carol', uid: 1000 },
  ],
  names: ['b', 'A', 'c', 'a', 'b'],
  pg: { host: 'db', port: 5432 },
  s: '  Hello World  ',
  pw: 'p@ss:w/rd?#[]!$&',
  nothing: null,
  empty: '',
}
const ev = (e: string, v: Record<string, unknown> = vars) => t.evaluate(e, v)
const fails = (e: string, code: string, text: string) =>
  assert.throws(
    () => ev(e),
    (err: unknown) => err instanceof AcplayError && err.code === code && err.message.includes(text),
  )

describe('default / d / mandatory / ternary', () => {
  it('default replaces undefined only, or also falsy with the second arg', () => {
    assert.equal(ev("x | default('a')"), 'a')
    assert.equal(ev('x | default'), '')
    assert.equal(ev("empty | default('a')"), '')
    assert.equal(ev("empty | default('a', true)"), 'a')
    assert.equal(ev("nothing | d('a', true)"), 'a')
    assert.equal(ev('pg.port | d(1)'), 5432)
  })
  it('mandatory fails on undefined, with its own message when given', () => {
    assert.equal(ev('pg | mandatory'), vars.pg)
    fails('secret | mandatory', 'E_UNDEFINED_VAR', "Mandatory variable 'secret' not defined.")
    fails("secret | mandatory('set secret in vault')", 'E_UNDEFINED_VAR', 'set secret in vault')
  })
  it('ternary', () => {
    assert.equal(ev("true | ternary('y', 'n')"), 'y')
    assert.equal(ev("[] | ternary('y', 'n')"), 'n')
    assert.equal(ev("nothing | ternary('y', 'n', 'none')"), 'none')
  })
})

describe('type conversion', () => {
  it('bool follows Ansible (yes/on/1/true; None stays None)', () => {
    assert.deepEqual(
      ['yes', 'On', '1', 'TRUE', 1, true].map((v) => t.evaluate('v | bool', { v })),
      [true, true, true, true, true, true],
    )
    assert.deepEqual(
      ['no', 'off', '0', 'false', 0, null, 'junk', ' yes '].map((v) => t.evaluate('v | bool', { v })),
      [false, false, false, false, false, null, false, false],
    )
  })
  it('int, float, string', () => {
    assert.deepEqual(
      [ev("'42' | int"), ev("'4.9' | int"), ev("'x' | int"), ev("'x' | int(7)"), ev("'0x1F' | int(base=16)"), ev('true | int')],
      [42, 4, 0, 7, 31, 1],
    )
    assert.deepEqual([ev("'2.5' | float"), ev("'x' | float"), ev('3 | float')], [2.5, 0, 3])
    assert.deepEqual([ev('5 | string'), ev('true | string'), ev('nothing | string'), ev("[1, 'a'] | string")], ['5', 'True', 'None', "[1, 'a']"])
  })
})

describe('strings', () => {
  it('lower, upper, capitalize, title, trim, replace', () => {
    assert.equal(ev("'AbC' | lower"), 'abc')
    assert.equal(ev("'abc' | upper"), 'ABC')
    assert.equal(ev("'hELLO wORLD' | capitalize"), 'Hello world')
    assert.equal(ev("'hello world' | title"), 'Hello World')
    assert.equal(ev('s | trim'), 'Hello World')
    assert.equal(ev("'xxhixx' | trim('x')"), 'hi')
    assert.equal(ev("'a-b-c' | replace('-', '+')"), 'a+b+c')
    assert.equal(ev("'a-b-c' | replace('-', '+', 1)"), 'a+b-c')
  })
  it('basename, dirname (Python os.path)', () => {
    assert.deepEqual(
      [
        ev("'/etc/airflow/airflow.cfg' | basename"),
        ev("'/etc/airflow/' | basename"),
        ev("'/etc/airflow/airflow.cfg' | dirname"),
        ev("'/x' | dirname"),
        ev("'f' | dirname"),
      ],
      ['airflow.cfg', '', '/etc/airflow', '/', ''],
    )
  })
  it('quote for a POSIX shell, as shlex.quote writes it', () => {
    assert.equal(ev("'simple' | quote"), 'simple')
    assert.equal(ev('"it\'s a b" | quote'), `'it'"'"'s a b'`)
    assert.equal(ev("'' | quote"), "''")
  })
  it('urlencode (strings keep /, dicts become a query string), urlencode_userinfo', () => {
    assert.equal(ev("'a b/c&d' | urlencode"), 'a%20b/c%26d')
    assert.equal(ev("{'q': 'a b', 'x': 1} | urlencode"), 'q=a+b&x=1')
    assert.equal(ev('pw | urlencode_userinfo'), 'p%40ss%3Aw%2Frd%3F%23%5B%5D%21%24%26')
    assert.equal(ev("'ü~._-' | urlencode_userinfo"), '%C3%BC~._-')
    assert.equal(
      t.render('postgresql://airflow:{{ pw | urlencode_userinfo }}@db/airflow', vars),
      'postgresql://airflow:p%40ss%3Aw%2Frd%3F%23%5B%5D%21%24%26@db/airflow',
    )
  })
  it('b64encode, b64decode', () => {
    assert.equal(ev("'héllo' | b64encode"), 'aMOpbGxv')
    assert.equal(ev("'aMOpbGxv' | b64decode"), 'héllo')
  })
})

describe('regular expressions', () => {
  it('regex_replace with Python groups and flags', () => {
    assert.equal(ev("'ab12cd' | regex_replace('[0-9]+', '#')"), 'ab#cd')
    assert.equal(ev("'key=value' | regex_replace('^(\\\\w+)=(\\\\w+)$', '\\\\2=\\\\1')"), 'value=key')
    assert.equal(ev("'key=value' | regex_replace('^(?P<k>\\\\w+)=.*$', '\\\\g<k>')"), 'key')
    assert.equal(ev("'AbA' | regex_replace('a', 'x', ignorecase=true)"), 'xbx')
    assert.equal(ev("'aaa' | regex_replace('a', '$', count=2)"), '$$a')
  })
  it('regex_search returns the match, groups, or None', () => {
    assert.equal(ev("'version 14.2' | regex_search('[0-9.]+')"), '14.2')
    assert.deepEqual(ev("'version 14.2' | regex_search('(\\\\d+)\\\\.(\\\\d+)', '\\\\1', '\\\\2')"), ['14', '2'])
    assert.equal(ev("'abc' | regex_search('z')"), null)
  })
  it('regex_findall returns matches, or groups', () => {
    assert.deepEqual(ev("'a1 b22 c333' | regex_findall('[0-9]+')"), ['1', '22', '333'])
    // several groups give tuples, as Python's re.findall does
    assert.equal(repr(ev("'a=1 b=2' | regex_findall('(\\\\w)=(\\\\d)')")), "[('a', '1'), ('b', '2')]")
  })
})

describe('serialization', () => {
  it('to_json like Python json.dumps, to_nice_json sorted and indented', () => {
    assert.equal(ev('pg | to_json'), '{"host": "db", "port": 5432}')
    assert.equal(ev("{'b': [1, 2], 'a': 'é'} | to_nice_json"), '{\n    "a": "\\u00e9",\n    "b": [\n        1,\n        2\n    ]\n}')
    assert.equal(ev("{'b': 1} | to_nice_json(indent=2)"), '{\n  "b": 1\n}')
  })
  it('from_json, with a clear error for bad input', () => {
    assert.deepEqual(ev('\'{"a": [1, true, null]}\' | from_json'), { a: [1, true, null] })
    fails("'{bad' | from_json", 'E_TEMPLATE', 'from_json: invalid JSON')
  })
  it('to_yaml (inline leaves) and to_nice_yaml (block, sorted, indent 4)', () => {
    assert.equal(ev("{'b': [1, 2], 'a': 'x'} | to_yaml"), 'a: x\nb: [1, 2]\n')
    // block style, sorted keys, 4-space mappings; sequence indentation differs from PyYAML's
    const nice = ev("{'b': {'d': [1, 2]}, 'c': 'x'} | to_nice_yaml") as string
    assert.match(nice, /^b:\n {4}d:\n +- 1\n +- 2\nc: x\n$/)
    assert.deepEqual(ev('text | from_yaml', { text: nice }), { b: { d: [1, 2] }, c: 'x' })
  })
  it('from_yaml', () => {
    assert.deepEqual(ev("'a: 1\\nb: [x, y]' | from_yaml"), { a: 1, b: ['x', 'y'] })
    fails("'a: [' | from_yaml", 'E_TEMPLATE', 'from_yaml: invalid YAML')
  })
})

describe('lists and dicts', () => {
  it('join, first, last, length/count, list', () => {
    assert.equal(ev("names | join(',')"), 'b,A,c,a,b')
    assert.equal(ev("users | join(', ', attribute='name')"), 'astro, bob, carol')
    assert.deepEqual([ev('names | first'), ev('names | last'), ev("'abc' | first")], ['b', 'b', 'a'])
    assert.deepEqual([ev('names | length'), ev('pg | count'), ev("'abc' | length")], [5, 2, 3])
    assert.deepEqual(
      [ev('pg | list'), ev("'ab' | list")],
      [
        ['host', 'port'],
        ['a', 'b'],
      ],
    )
  })
  it('unique, sort (case-insensitive by default, reverse, attribute)', () => {
    // Ansible's unique is Jinja's with case_sensitive=False: 'a' repeats 'A'
    assert.deepEqual(ev('names | unique'), ['b', 'A', 'c'])
    assert.deepEqual(ev('names | unique(case_sensitive=true)'), ['b', 'A', 'c', 'a'])
    assert.deepEqual(ev('names | unique | sort'), ['A', 'b', 'c'])
    assert.deepEqual(ev('names | sort'), ['A', 'a', 'b', 'b', 'c'])
    assert.deepEqual(ev('names | sort(case_sensitive=true)'), ['A', 'a', 'b', 'b', 'c'])
    assert.deepEqual(ev('[3, 1, 2] | sort(reverse=true)'), [3, 2, 1])
    assert.deepEqual(ev("users | sort(attribute='uid') | map(attribute='name') | list"), ['carol', 'astro', 'bob'])
  })
  it('map by attribute (with default) or by filter with args', () => {
    assert.deepEqual(ev("users | map(attribute='uid') | list"), [1001, 1002, 1000])
    assert.deepEqual(ev("users | map(attribute='admin', default=false) | list"), [true, false, false])
    assert.deepEqual(ev("['a', 'b'] | map('upper') | list"), ['A', 'B'])
    assert.deepEqual(ev("['a1', 'b2'] | map('regex_replace', '[0-9]', '') | list"), ['a', 'b'])
  })
  it('select, reject, selectattr, rejectattr', () => {
    assert.deepEqual(ev("[0, 1, '', 'x', none] | select | list"), [1, 'x'])
    assert.deepEqual(ev("[1, 2, 3, 4] | select('even') | list"), [2, 4])
    assert.deepEqual(ev("[1, 2, 3, 4] | reject('gt', 2) | list"), [1, 2])
    assert.deepEqual(ev("users | selectattr('admin', 'defined') | map(attribute='name') | list"), ['astro', 'bob'])
    assert.deepEqual(ev("users | selectattr('uid', '>=', 1001) | map(attribute='name') | list"), ['astro', 'bob'])
    assert.deepEqual(ev("users | rejectattr('admin', 'undefined') | rejectattr('admin') | map(attribute='name') | list"), ['bob'])
    assert.deepEqual(ev("names | select('match', '[ab]') | list"), ['b', 'a', 'b'])
  })
  it('dict2items, items2dict (with custom key names)', () => {
    assert.deepEqual(ev('pg | dict2items'), [
      { key: 'host', value: 'db' },
      { key: 'port', value: 5432 },
    ])
    assert.deepEqual(ev("pg | dict2items(key_name='k', value_name='v')"), [
      { k: 'host', v: 'db' },
      { k: 'port', v: 5432 },
    ])
    assert.deepEqual(ev('pg | dict2items | items2dict'), vars.pg)
    assert.deepEqual(ev("[{'n': 'a', 'v': 1}] | items2dict(key_name='n', value_name='v')"), { a: 1 })
    fails('[1] | dict2items', 'E_TEMPLATE', 'dict2items requires a dictionary, got list instead.')
    // Ansible names the whole list, not the item (geerlingguy.postgresql's options, one without a value)
    fails(
      "[{'option': 'a', 'value': 1}, {'option': 'b', 'state': 'absent'}] | items2dict(key_name='option', value_name='value')",
      'E_TEMPLATE',
      "items2dict requires each dictionary in the list to contain the keys 'option' and 'value', got [{'option': 'a', 'value': 1}, {'option': 'b', 'state': 'absent'}] instead.",
    )
    fails(
      "[{'key': 'a', 'value': 1}, 'x'] | items2dict",
      'E_TEMPLATE',
      "items2dict requires a list of dictionaries, got [{'key': 'a', 'value': 1}, 'x'] instead.",
    )
  })
  it('combine: shallow by default, recursive and list_merge on request', () => {
    const v = { a: { x: 1, l: [1], sub: { p: 1 } }, b: { l: [2], sub: { q: 2 } } }
    assert.deepEqual(t.evaluate('a | combine(b)', v), { x: 1, l: [2], sub: { q: 2 } })
    assert.deepEqual(t.evaluate('a | combine(b, recursive=true)', v), { x: 1, l: [2], sub: { p: 1, q: 2 } })
    assert.deepEqual(t.evaluate("a | combine(b, list_merge='append')", v), { x: 1, l: [1, 2], sub: { q: 2 } })
    assert.deepEqual(t.evaluate('[a, b] | combine', v), { x: 1, l: [2], sub: { q: 2 } })
    assert.deepEqual(v.a, { x: 1, l: [1], sub: { p: 1 } }, 'inputs are not modified')
  })
  it('set operations, flatten, min/max/sum, zip, split, reverse', () => {
    assert.deepEqual(ev('[1, 2, 2] | union([2, 3])'), [1, 2, 3])
    assert.deepEqual(ev('[1, 2, 3] | intersect([2, 3, 4])'), [2, 3])
    assert.deepEqual(ev('[1, 2, 3] | difference([2])'), [1, 3])
    // a list against a string: Python's `in` is a substring test; two hashables are sets (characters)
    assert.deepEqual(ev("['b.com', 'a.com'] | sort | difference('a.com b.com')"), [])
    assert.deepEqual(ev("['a.com', 'shop.a.com'] | difference('shop.a.com')"), [])
    assert.deepEqual(ev("['x.org', 'a.com'] | intersect('a.com b.com')"), ['a.com'])
    assert.deepEqual(ev("'abc' | difference('bcd')"), ['a'])
    assert.throws(() => ev("[1] | difference('1')"), /'in <string>' requires string as left operand, not int/)
    // union adds as Python does (ansible-playbook's messages): a list and a string, a dict and a list
    assert.throws(() => ev("[1] | union('ab')"), /can only concatenate list \(not "str"\) to list/)
    assert.throws(() => ev("'ab' | union([1])"), /can only concatenate str \(not "list"\) to str/)
    assert.throws(() => ev("{'a': 1} | union([1])"), /unsupported operand type\(s\) for \+: 'dict' and 'list'/)
    assert.throws(() => ev("[1, 2] | symmetric_difference('ab')"), /'in <string>' requires string as left operand, not int/)
    assert.throws(() => ev("['a', 'x'] | symmetric_difference('ab')"), /can only concatenate list \(not "str"\) to list/)
    assert.deepEqual(ev('[1, 2] | symmetric_difference([2, 3])'), [1, 3])
    assert.deepEqual(ev("'ab' | symmetric_difference('bc')"), ['a', 'c'])
    assert.deepEqual(ev('[1, [2, [3]]] | flatten'), [1, 2, 3])
    assert.deepEqual(ev('[1, [2, [3]]] | flatten(levels=1)'), [1, 2, [3]])
    assert.deepEqual([ev('[3, 1, 2] | min'), ev('[3, 1, 2] | max'), ev('[3, 1, 2] | sum')], [1, 3, 6])
    assert.equal(repr(ev("[1, 2] | zip(['a', 'b'])")), "[(1, 'a'), (2, 'b')]")
    assert.deepEqual(ev("'a,b,,c' | split(',')"), ['a', 'b', '', 'c'])
    assert.deepEqual(ev('[1, 2] | reverse'), [2, 1])
  })
  it('has the other Jinja filters (indent, center, round)', () => {
    assert.equal(ev("'a\\nb' | indent(2)"), 'a\n  b')
    assert.equal(ev('2.567 | round(1)'), 2.6)
    assert.equal(ev("'ab' | center(6)"), '  ab  ')
  })
})

describe('filters refuse undefined input', () => {
  it('names the variable', () => {
    for (const f of ['upper', 'int', 'bool', 'to_json', 'length', 'join', 'quote', 'urlencode_userinfo']) {
      fails(`airflow_password | ${f}`, 'E_UNDEFINED_VAR', "'airflow_password' is undefined")
    }
    fails("'x' | replace(y, 'z')", 'E_UNDEFINED_VAR', "'y' is undefined")
  })
})

describe('filters given arguments Python refuses: its errors, never a hang or a JavaScript value in the text (fuzzed)', () => {
  it('wordwrap takes an int width above 0', () => {
    fails("'hello world' | wordwrap('a')", 'E_TEMPLATE', "'<=' not supported between instances of 'str' and 'int'")
    fails("'hello world' | wordwrap(0)", 'E_TEMPLATE', 'invalid width 0 (must be > 0)')
    fails("'hello world' | wordwrap(2.5)", 'E_TEMPLATE', 'slice indices must be integers')
    assert.equal(ev("'hello world' | wordwrap(5)"), 'hello\nworld')
  })
  it('range and with_sequence refuse sizes V8 cannot hold, by name', () => {
    fails('range(10**9) | list | length', 'E_TEMPLATE', 'range() of 1000000000 items is more than acplay builds (10000000)')
    fails("lookup('sequence', 'start=1 end=1000000000')", 'E_TEMPLATE', 'a sequence of 1000000000 items is more than acplay builds')
    assert.deepEqual(ev('range(10, 0, -3) | list'), [10, 7, 4, 1])
  })
  it("int's base as Python's int(s, base), a base it refuses giving float()'s value or the default", () => {
    assert.deepEqual(
      ev("['a' | int(base=99), '0x1a' | int(base=0), '010' | int(base=0), '0o17' | int(0, 0), '4.7' | int(base=1), '-0x10' | int(0, 0), 'z' | int(7, 36)]"),
      [0, 26, 10, 15, 4, -16, 35],
    )
  })
  it('attr, map and rekey_on_member without or with a non-string name', () => {
    fails("'abc' | attr", 'E_TEMPLATE', "do_attr() missing 1 required positional argument: 'name'")
    fails("[1] | map({'a': 1}) | list", 'E_TEMPLATE', "no filter named '{'a': 1}'")
    fails("[{'a': 1}] | rekey_on_member", 'E_TEMPLATE', "rekey_on_member() missing 1 required positional argument: 'key'")
    fails("[{'a': 1}] | rekey_on_member({'a': 1})", 'E_TEMPLATE', "unhashable type: 'dict'")
  })
})
