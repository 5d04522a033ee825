import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'
import { splitPattern } from '../../../engine/inventory/patterns.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/${p}`, import.meta.url))
const inv = await loadInventory([fx('basic.ini')])
const WEB = ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra']
const DB = ['db-a', 'db-b', 'db-c', 'loose1']
// Ansible's order for a group: its own hosts, then its children's breadth-first (all -> ungrouped, stepped, app -> web, db)
const ALL = ['loose2', 'node0', 'node5', 'node10', ...WEB, ...DB]

test('all, *, group and host names', () => {
  assert.deepEqual(inv.select('all'), ALL)
  assert.deepEqual(inv.select('*'), ALL)
  assert.deepEqual(inv.select('web'), WEB)
  assert.deepEqual(inv.select('ungrouped'), ['loose2'])
  assert.deepEqual(inv.select('db-b'), ['db-b'])
  assert.deepEqual(inv.select('app'), [...WEB, ...DB])
  assert.deepEqual(inv.select('db'), DB)
})

test('union (: and ,) keeps pattern order, without duplicates', () => {
  assert.deepEqual(inv.select('stepped:ungrouped'), ['node0', 'node5', 'node10', 'loose2'])
  assert.deepEqual(inv.select('db,web'), [...DB, ...WEB])
  assert.deepEqual(inv.select('loose1, db, db-a'), ['loose1', 'db-a', 'db-b', 'db-c'])
})

test('intersection & and exclusion !, applied after unions whatever their position', () => {
  assert.deepEqual(inv.select('app:&db'), DB)
  assert.deepEqual(inv.select('app:!db'), WEB)
  assert.deepEqual(inv.select('!db:web:!web-extra'), WEB.slice(0, 3))
  assert.deepEqual(inv.select('!app'), ['loose2', 'node0', 'node5', 'node10'], 'only exclusions start from all')
  assert.deepEqual(inv.select('app,&db,!db-b'), ['db-a', 'db-c', 'loose1'])
})

test('globs match group and host names; a plain word matches exactly', () => {
  assert.deepEqual(inv.select('web*'), WEB)
  assert.deepEqual(inv.select('*.example.com'), WEB.slice(0, 3))
  assert.deepEqual(inv.select('db-?'), ['db-a', 'db-b', 'db-c'])
  assert.deepEqual(inv.select('node[!5]*'), ['node0', 'node10'])
  assert.deepEqual(inv.select('we'), [])
})

test('regex ~ matches from the start (re.match), not necessarily to the end', () => {
  assert.deepEqual(inv.select('~web\\d+'), WEB.slice(0, 3))
  assert.deepEqual(inv.select('~(db|node)-?[ab0]'), ['db-a', 'db-b', 'node0'])
  assert.deepEqual(inv.select('~example'), [])
})

test('subscripts pick from a match: [i], [-1], [x:y] inclusive, [x:]', () => {
  assert.deepEqual(inv.select('web[0]'), ['web01.example.com'])
  assert.deepEqual(inv.select('web[-1]'), ['web-extra'])
  assert.deepEqual(inv.select('web[1:2]'), ['web02.example.com', 'web03.example.com'])
  assert.deepEqual(inv.select('web[2:]'), ['web03.example.com', 'web-extra'])
  assert.throws(() => inv.select('web[9]'), /no hosts matched the subscripted pattern 'web\[9\]'/)
})

test('a pattern matching nothing yields [] (the CLI warns)', () => {
  assert.deepEqual(inv.select('nosuch'), [])
  assert.deepEqual(inv.select('nosuch:web'), WEB)
})

test('--limit intersects with the play hosts, same syntax, @file lists', () => {
  assert.deepEqual(inv.select('app', 'db'), DB)
  assert.deepEqual(inv.select('app', '!web,!loose1'), ['db-a', 'db-b', 'db-c'])
  assert.deepEqual(inv.select('all', 'web[0],stepped'), ['node0', 'node5', 'node10', 'web01.example.com'])
  assert.deepEqual(inv.select('app', `@${fx('limit.txt')}`), ['db-b'])
  assert.deepEqual(inv.select('app', 'nosuch'), [])
  assert.throws(() => inv.select('all', '@/nonexistent/limit'), /cannot read limit file \/nonexistent\/limit/)
})

test('splitPattern keeps ranges and globs with brackets whole', () => {
  assert.deepEqual(splitPattern('a:b[1:2]:&c:!d'), ['a', 'b[1:2]', '&c', '!d'])
  assert.deepEqual(splitPattern(' a , b:c ,'), ['a', 'b:c'])
})

test('the parts of a pattern and a limit that match nothing, as Ansible warns of them (Could not match supplied host pattern)', () => {
  assert.deepEqual(inv.unmatched('web:dbservrs:!nope:&web'), ['dbservrs', 'nope'])
  assert.deepEqual(inv.unmatched('all,localhost,web[0],~db-.*,web0*'), [])
  assert.deepEqual(inv.unmatched('web', 'web01*:typo:typo'), ['typo'])
  assert.deepEqual(inv.unmatched('~nomatch\\d+'), ['~nomatch\\d+'])
})
