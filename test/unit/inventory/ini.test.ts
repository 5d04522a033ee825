import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadInventory } from '../../../engine/inventory/index.js'
import { iniValue, shlexSplit } from '../../../engine/inventory/ini-value.js'
import { expandHostSpec, expandRanges } from '../../../engine/inventory/host-pattern.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/${p}`, import.meta.url))

test('INI: hosts in order of first appearance, ranges expanded, ungrouped before any section', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  assert.deepEqual(
    [...inv.hosts.keys()],
    ['loose1', 'loose2', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c', 'node0', 'node5', 'node10'],
  )
  // loose1 also appears in [db], so Ansible takes it out of ungrouped
  assert.deepEqual(inv.groups.get('ungrouped')!.hosts, ['loose2'])
  assert.deepEqual(inv.groups.get('db')!.hosts, ['db-a', 'db-b', 'db-c', 'loose1'])
  assert.deepEqual(inv.groups.get('all')!.children, ['ungrouped', 'stepped', 'app'])
  assert.deepEqual(inv.groups.get('app')!.children, ['web', 'db'])
  assert.deepEqual(inv.groups.get('web')!.parents, ['app'])
  assert.equal(inv.groups.get('web')!.depth, 2)
  // Ansible's order: a group's own hosts as added, then its children's, breadth-first
  assert.deepEqual(inv.groupHosts('app'), ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c', 'loose1'])
  assert.deepEqual(inv.groupHosts('all'), [
    'loose2',
    'node0',
    'node5',
    'node10',
    'web01.example.com',
    'web02.example.com',
    'web03.example.com',
    'web-extra',
    'db-a',
    'db-b',
    'db-c',
    'loose1',
  ])
})

test('INI: host line values follow Ansible (shlex quoting, then Python literals)', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  const v = inv.hostVars('web-extra')
  assert.equal(v.ansible_host, '10.0.0.1')
  assert.equal(v.note, 'a b')
  assert.equal(v.x, 'y z')
  assert.equal(v.flag, true)
  assert.equal(v.lower, 'true', 'only Python literals convert: true and yes stay strings')
  assert.equal(v.yes_str, 'yes')
  assert.equal(v.mode, '0644', 'a leading zero is not a Python int')
  assert.equal(v.ratio, 1.5)
  assert.deepEqual(v.items, [1, 'two'])
  assert.equal(v.quoted, '42', 'x="\'42\'" keeps a string')
  assert.equal(inv.hostVars('web02.example.com').http_port, 8080)
  assert.equal(inv.hostVars('loose2').ansible_port, 2222)
  assert.equal(inv.hostVars('db-c').ansible_user, 'postgres')
})

test('INI: [g:vars] values are Python literals too; a trailing # stays in a plain string', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  assert.deepEqual(inv.groups.get('app')!.vars, {
    app_env: 'production',
    timeout: 30,
    path: '/srv/app # but stays part of a plain string',
    enabled: true,
    quoted: 'a # b',
  })
  assert.equal(inv.hostVars('db-a').ntp_server, 'ntp.example.com')
  assert.equal(inv.hostVars('db-a').app_env, 'production')
  assert.equal(inv.hostVars('node5').app_env, undefined)
})

test('magic variables', async () => {
  const inv = await loadInventory([fx('basic.ini')])
  const v = inv.hostVars('web01.example.com')
  assert.equal(v.inventory_hostname, 'web01.example.com')
  assert.equal(v.inventory_hostname_short, 'web01')
  assert.deepEqual(v.group_names, ['app', 'web'])
  assert.deepEqual(inv.hostVars('loose2').group_names, ['ungrouped'])
  const groups = v.groups as Record<string, string[]>
  assert.deepEqual(groups.ungrouped, ['loose2'])
  assert.deepEqual(groups.stepped, ['node0', 'node5', 'node10'])
  assert.equal(groups.all!.length, 12)
  assert.equal(v.inventory_file, fx('basic.ini'))
  assert.deepEqual(inv.hosts.get('db-a')!.groups, ['all', 'app', 'db'])
})

test('shlexSplit: POSIX quoting and # comments', () => {
  assert.deepEqual(shlexSplit(`h1 a="x y" b='p q' c=d\\ e # comment`), ['h1', 'a=x y', 'b=p q', 'c=d e'])
  assert.deepEqual(shlexSplit(`h a="say \\"hi\\"" b='it''s' c=x#y`), ['h', 'a=say "hi"', 'b=its', 'c=x'])
  assert.deepEqual(shlexSplit(`h e=""`), ['h', 'e='])
  assert.throws(() => shlexSplit(`h a="x`), /No closing quotation/)
})

test('iniValue: ast.literal_eval or the string', () => {
  const cases: [string, unknown][] = [
    ['22', 22],
    ['-3', -3],
    ['1.5e3', 1500],
    ['0x1f', 31],
    ['1_000', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ['true', 'true'],
    ['yes', 'yes'],
    ['010', '010'],
    ['10.0.0.1', '10.0.0.1'],
    ['1j', '1j'],
    ['', ''],
    ["'quoted'", 'quoted'],
    ['"a\\tb"', 'a\tb'],
    ["'a' 'b'", 'ab'],
    ['[1, "x", [True]]', [1, 'x', [true]]],
    ['(1, 2)', [1, 2]],
    ['(5)', 5],
    ["{'a': 1, 2: None}", { a: 1, '2': null }],
    ['{1, 2}', [1, 2]],
    ['30 # comment', 30],
    ['a b', 'a b'],
    ['{bad', '{bad'],
    ['/usr/bin/python3', '/usr/bin/python3'],
  ]
  for (const [input, want] of cases) assert.deepEqual(iniValue(input), want, input)
})

test('host ranges: numeric, padded, letters, steps, several ranges, ports', () => {
  assert.deepEqual(expandRanges('web[01:03].example.com'), ['web01.example.com', 'web02.example.com', 'web03.example.com'])
  assert.deepEqual(expandRanges('db-[a:c]'), ['db-a', 'db-b', 'db-c'])
  assert.deepEqual(expandRanges('n[0:10:5]'), ['n0', 'n5', 'n10'])
  assert.deepEqual(expandRanges('r[:2]'), ['r0', 'r1', 'r2'])
  assert.deepEqual(expandRanges('x[1:2]-[a:b]'), ['x1-a', 'x1-b', 'x2-a', 'x2-b'])
  assert.deepEqual(expandHostSpec('web[1:2]:2222'), { names: ['web1', 'web2'], port: 2222 })
  assert.deepEqual(expandHostSpec('[2001:db8::1]:22'), { names: ['2001:db8::1'], port: 22 })
  assert.deepEqual(expandHostSpec('fe80::1'), { names: ['fe80::1'], port: undefined })
  assert.throws(() => expandRanges('w[1]'), /begin:end or begin:end:step/)
  assert.throws(() => expandRanges('w[1:'), /without a closing/)
})
