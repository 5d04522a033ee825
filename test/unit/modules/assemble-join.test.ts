/**
 * assemble's joining of fragments against Ansible's assemble module (Debian's ansible 2.14): each
 * case's fragments, arguments and the file Ansible wrote (bytes as latin1 text) were recorded by
 * running the module on the case (ansible localhost -c local -m ansible.builtin.assemble).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { assembleFragments, escapeDecode } from '../../../modules/assemble.js'
import { pyRegex } from '../../../modules/files/py-regex.js'

const CASES: { name: string; frags: Record<string, string>; args: { delimiter?: string; regexp?: string; ignore_hidden?: boolean }; want: string }[] = [
  { name: 'sorted, a newline after a fragment without one', frags: { '10-b': 'b', '02-a': 'a\n', '20-c': 'c\n' }, args: {}, want: 'a\nb\nc\n' },
  {
    name: 'a delimiter with escapes, a newline after it',
    frags: { '1': 'one\n', '2': 'two', '3': 'three\n' },
    args: { delimiter: '### \\t\\x41\\101' },
    want: 'one\n### \tAA\ntwo\n### \tAA\nthree\n',
  },
  { name: 'a delimiter ending in a newline', frags: { '1': 'one\n', '2': 'two\n' }, args: { delimiter: '--\\n' }, want: 'one\n--\ntwo\n' },
  { name: 'regexp searches the name', frags: { 'a.conf': 'A\n', 'b.conf.bak': 'B\n', 'c.txt': 'C\n' }, args: { regexp: '\\.conf$' }, want: 'A\n' },
  { name: 'hidden files: kept, or ignored', frags: { '.hidden': 'H\n', '-dash': 'D\n', z: 'Z\n' }, args: {}, want: 'D\nH\nZ\n' },
  { name: 'hidden files ignored', frags: { '.hidden': 'H\n', z: 'Z\n' }, args: { ignore_hidden: true }, want: 'Z\n' },
  { name: 'empty fragments', frags: { a: '', b: '', c: 'x' }, args: { delimiter: '|' }, want: '\n|\n\n|\nx' },
  { name: 'unicode names sort by code point', frags: { '\u00e9': 'e\n', z: 'z\n', Z: 'Z\n', a: 'a\n' }, args: {}, want: 'Z\na\nz\ne\n' },
]

for (const c of CASES) {
  it(c.name, () => {
    const fragments = Object.entries(c.frags).map(([name, text]) => ({ name, content: Buffer.from(text) }))
    const regexp = c.args.regexp === undefined ? undefined : pyRegex(c.args.regexp, 'regexp')
    const got = assembleFragments(fragments, { delimiter: c.args.delimiter, regexp, ignoreHidden: c.args.ignore_hidden ?? false })
    assert.equal(got.toString('latin1'), c.want)
  })
}

it("escapeDecode: Python's escapes, bytes from octal and hex, UTF-8 text, unknown escapes kept", () => {
  assert.deepEqual(escapeDecode('a\\tb\\n'), Buffer.from('a\tb\n'))
  assert.deepEqual(escapeDecode('\\x41\\101\\0'), Buffer.from([0x41, 0x41, 0]))
  assert.deepEqual(escapeDecode('\\q\\\\'), Buffer.from('\\q\\'))
  assert.deepEqual(escapeDecode('\u00e9'), Buffer.from('\u00e9', 'utf8'))
  assert.deepEqual(escapeDecode('end\\'), Buffer.from('end\\'))
})
