import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseKv, splitArgs } from '../../../engine/playbook/kv-args.js'

const RAW = new Set(['chdir', 'creates'])

test('k=v pairs with quotes and escaped quotes', () => {
  assert.deepEqual(parseKv(`name=astro shell=/bin/false comment="Astro User" note='it''s'`).args.comment, 'Astro User')
  assert.deepEqual(parseKv(`a="say \\"hi\\"" b=2`), { args: { a: 'say "hi"', b: '2' }, freeForm: '' })
})

test('Jinja blocks with spaces stay one word', () => {
  assert.deepEqual(parseKv('msg="{{ a }} b" name={{ item | upper }}').args, { msg: '{{ a }} b', name: '{{ item | upper }}' })
  assert.deepEqual(
    splitArgs('x={{ a b }} y').map((t) => t.text),
    ['x={{ a b }}', 'y'],
  )
})

test('free-form command keeps its words; only known keys are taken out', () => {
  assert.deepEqual(parseKv('./migrate.sh --all chdir=/opt/app creates="/opt/x y"', RAW), {
    args: { chdir: '/opt/app', creates: '/opt/x y' },
    freeForm: './migrate.sh --all',
  })
  assert.deepEqual(parseKv('env FOO=bar echo "a  b" chdir=/tmp', RAW), { args: { chdir: '/tmp' }, freeForm: 'env FOO=bar echo "a  b"' })
})

test('a multi-line script keeps its newlines', () => {
  assert.equal(parseKv('set -e\necho one\necho two\n', RAW).freeForm, 'set -e\necho one\necho two')
})

test('a quote opens anywhere in a word, as in Ansible: a quoted space inside a word keeps it whole; an unclosed one is an error', () => {
  assert.deepEqual(
    splitArgs(`echo a b | cut -d" " -f2 chdir=/tmp`).map((t) => t.text),
    ['echo', 'a', 'b', '|', 'cut', '-d" "', '-f2', 'chdir=/tmp'],
  )
  assert.deepEqual(parseKv(`sed -e's/a b/c/' f creates=/x`, RAW), { args: { creates: '/x' }, freeForm: `sed -e's/a b/c/' f` })
  assert.deepEqual(
    splitArgs(`echo \\"a b`).map((t) => t.text),
    ['echo', '\\"a', 'b'],
  )
  // Ansible: "failed at splitting arguments, either an unbalanced jinja2 block or quotes: echo don't"
  assert.throws(() => parseKv("echo don't", RAW), /unbalanced ' quote/)
  assert.throws(() => parseKv('msg="open'), /unbalanced " quote/)
})

test("a value's escapes are decoded as parse_kv decodes them, then its quotes come off", () => {
  assert.deepEqual(parseKv(`dest=/etc/x content="deb [trusted=yes] http://r ./\\n" regexp='^a\\.b' tab=a\\tb`).args, {
    dest: '/etc/x',
    content: 'deb [trusted=yes] http://r ./\n',
    regexp: '^a\\.b',
    tab: 'a\tb',
  })
  assert.deepEqual(parseKv(`a=\\x41\\u00e9`).args, { a: 'Aé' })
  // a free-form command keeps its own words as written; only its options are decoded
  assert.deepEqual(parseKv(`printf 'a\\n' chdir="/tmp\\t"`, RAW), { args: { chdir: '/tmp\t' }, freeForm: `printf 'a\\n'` })
})
