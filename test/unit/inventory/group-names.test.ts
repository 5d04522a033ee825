import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { GroupNames } from '../../../engine/inventory/group-names.js'
import { loadInventory } from '../../../engine/inventory/index.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-group-names-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const INI = '[tomcat-servers]\nt1\n[app.v2:children]\ntomcat-servers\n[app.v2:vars]\nport=8080\n[web]\nw1\n'
writeFileSync(join(dir, 'hosts.ini'), INI)

/** The inventory under ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS=mode (unset: the default). */
async function load(mode?: string) {
  const saved = process.env.ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS
  if (mode === undefined) delete process.env.ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS
  else process.env.ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS = mode
  try {
    return await loadInventory([join(dir, 'hosts.ini')], { playbookDir: dir })
  } finally {
    if (saved === undefined) delete process.env.ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS
    else process.env.ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS = saved
  }
}

test("names that are not variable names, as Python's ^[\\d\\W]|[^\\w]", () => {
  const names = new GroupNames('always')
  assert.equal(names.name('web_1'), 'web_1')
  assert.equal(names.name('grüße'), 'grüße')
  assert.equal(names.name('10net'), '_0net')
  assert.equal(names.name('a-b.c d'), 'a_b_c_d')
  assert.equal(names.warning(), 'Invalid characters were found in group names and automatically replaced with _: 10net ("1"), a-b.c d ("-", ".", " ")')
})

test('by default the names stay, with one warning naming them', async () => {
  const inv = await load()
  assert.deepEqual([...inv.groups.keys()].sort(), ['all', 'app.v2', 'tomcat-servers', 'ungrouped', 'web'])
  assert.equal(inv.hostVars('t1').port, 8080)
  assert.deepEqual(inv.warnings, ['Invalid characters were found in group names but not replaced: tomcat-servers ("-"), app.v2 (".")'])
})

test('always and silently replace them with _ everywhere (sections, children, vars); ignore keeps them quietly', async () => {
  for (const mode of ['always', 'silently']) {
    const inv = await load(mode)
    assert.deepEqual([...inv.groups.keys()].sort(), ['all', 'app_v2', 'tomcat_servers', 'ungrouped', 'web'], mode)
    assert.deepEqual(inv.groups.get('app_v2')?.children, ['tomcat_servers'], mode)
    assert.equal(inv.hostVars('t1').port, 8080, mode)
    assert.deepEqual(inv.hostVars('t1').group_names, ['app_v2', 'tomcat_servers'], mode)
    assert.equal(inv.warnings.length, mode === 'always' ? 1 : 0, mode)
  }
  const ignored = await load('ignore')
  assert.ok(ignored.groups.has('tomcat-servers'))
  assert.deepEqual(ignored.warnings, [])
})

test('a value outside the choices is an error naming the variable', async () => {
  await assert.rejects(load('sometimes'), /ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'sometimes' is not/)
})
