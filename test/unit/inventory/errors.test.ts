import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { AcplayError } from '../../../engine/errors.js'
import { loadInventory } from '../../../engine/inventory/index.js'

const fx = (p: string) => fileURLToPath(new URL(`../../../../test/fixtures/inventory/errors/${p}`, import.meta.url))

/** Loads `file` (from fixtures/errors) and expects an AcplayError whose describe() is exactly `want` with the path filled in. */
async function fails(file: string, want: (path: string) => string, code = 'E_INVENTORY') {
  const path = fx(file)
  await assert.rejects(loadInventory([path]), (e: unknown) => {
    assert.ok(e instanceof AcplayError, String(e))
    assert.equal(e.code, code)
    assert.equal(e.describe(), want(path))
    return true
  })
}

test('an unparsable host line', () => fails('bad-host-var.ini', (p) => `E_INVENTORY: ${p}:3: expected key=value host variable assignment, got: stray`))

test('a bad range', () =>
  fails(
    'bad-range.ini',
    (p) => `E_INVENTORY: ${p}:3: bad host range '[1:x]' in 'web[1:x].example.com': begin and end must both be numbers or both single letters`,
  ))

test('a reversed range and unequal zero-padding', async () => {
  await fails('reversed-range.ini', (p) => `E_INVENTORY: ${p}:2: bad host range '[3:1]' in 'web[3:1]': begin must be <= end`)
  await fails(
    'padded-range.ini',
    (p) => `E_INVENTORY: ${p}:2: bad host range '[01:100]' in 'web[01:100]': a zero-padded range needs begin and end of equal length`,
  )
})

test('[g:children] naming itself', () =>
  fails('self-child.ini', (p) => `E_INVENTORY: ${p}:5: [web:children] names 'web' itself: a group cannot be its own child`))

test('a child group that is never declared, and [g:vars] for an undefined group', async () => {
  await fails('undefined-child.ini', (p) => `E_INVENTORY: ${p}:2: section [app:children] includes undefined group 'web'`)
  await fails('vars-undefined.ini', (p) => `E_INVENTORY: ${p}:4: section [nosuch:vars] is not valid for undefined group 'nosuch'`)
})

test('an unclosed quote, an unknown section type, a children loop', async () => {
  await fails('unclosed-quote.ini', (p) => `E_INVENTORY: ${p}:2: cannot parse host line 'w1 note="unclosed': No closing quotation`)
  await fails('unknown-section.ini', (p) => `E_INVENTORY: ${p}:3: section [web:bogus] has unknown type 'bogus' (expected hosts, children or vars)`)
  await fails('loop.ini', (p) => `E_INVENTORY: ${p}:4: adding group 'a' as a child of 'b' creates a dependency loop`)
})

test('a YAML syntax error has line and column (E_YAML)', async () => {
  const path = fx('syntax.yml')
  await assert.rejects(loadInventory([path]), (e: unknown) => {
    assert.ok(e instanceof AcplayError)
    assert.equal(e.code, 'E_YAML')
    assert.equal(e.where.file, path)
    assert.equal(typeof e.where.line, 'number')
    assert.equal(typeof e.where.col, 'number')
    assert.ok(e.describe().startsWith(`E_YAML: ${path}:${e.where.line}:${e.where.col}: `), e.describe())
    return true
  })
})

test('YAML hosts written as a list', () =>
  fails(
    'hosts-list.yml',
    (p) => `E_INVENTORY: ${p}:5:9: 'hosts' of group 'web' must be a mapping (write "hosts:" entries as keys: "name:" on its own line, not "- name")`,
  ))

test('a group_vars file that is not a mapping', async () => {
  const dir = fx('gv-not-mapping')
  await assert.rejects(loadInventory([`${dir}/hosts.ini`]), (e: unknown) => {
    assert.ok(e instanceof AcplayError)
    assert.equal(e.describe(), `E_INVENTORY: ${dir}/group_vars/web.yml:2:1: a vars file must be a mapping of variable names to values`)
    return true
  })
})
