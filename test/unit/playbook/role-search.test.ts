/** Where roles are found, as Ansible's RoleDefinition._load_role_path: roles/, roles_path, collections by FQCN. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, test } from 'node:test'
import { collectionsPaths, configuredRolesPath, DEFAULT_ROLES_PATH } from '../../../engine/config/search-dirs.js'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import type { BlockTask, RoleContext } from '../../../engine/playbook/types.js'
import { opts } from './fake-modules.js'

const P = mkdtempSync(join(tmpdir(), 'acplay-roles-'))
after(() => rmSync(P, { recursive: true, force: true }))
const ENV = ['ANSIBLE_CONFIG', 'ANSIBLE_ROLES_PATH', 'ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'] as const
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
})

function role(dir: string, tasks = '- command: echo\n', meta?: string): void {
  mkdirSync(join(dir, 'tasks'), { recursive: true })
  writeFileSync(join(dir, 'tasks/main.yml'), tasks)
  if (meta) {
    mkdirSync(join(dir, 'meta'), { recursive: true })
    writeFileSync(join(dir, 'meta/main.yml'), meta)
  }
}
const load = (roles: string, dir = P) => loadPlaybookText(`- hosts: all\n  roles: ${roles}\n`, join(dir, 'site.yml'), opts).plays[0]!.roles as BlockTask[]

test('roles_path from ansible.cfg (relative to the file, `;` comments dropped); ANSIBLE_ROLES_PATH wins; defaults otherwise', () => {
  const cfgDir = join(P, 'cfg')
  mkdirSync(cfgDir, { recursive: true })
  writeFileSync(join(cfgDir, 'ansible.cfg'), '[defaults]\nroles_path = ./installed:/nonexistent ; the shared roles\n')
  process.env.ANSIBLE_CONFIG = join(cfgDir, 'ansible.cfg')
  assert.deepEqual(configuredRolesPath(P), [join(cfgDir, 'installed'), '/nonexistent'])
  role(join(cfgDir, 'installed/web'))
  assert.equal(load('[web]')[0]!.role!.dir, join(cfgDir, 'installed/web'))
  process.env.ANSIBLE_ROLES_PATH = `${join(P, 'env-roles')}:${join(cfgDir, 'installed')}`
  role(join(P, 'env-roles/web'))
  assert.equal(load('[web]')[0]!.role!.dir, join(P, 'env-roles/web'))
  // <playbook dir>/roles comes before every configured dir
  role(join(P, 'roles/web'))
  assert.equal(load('[web]')[0]!.role!.dir, join(P, 'roles/web'))
  delete process.env.ANSIBLE_ROLES_PATH
  process.env.ANSIBLE_CONFIG = join(P, 'none.cfg')
  assert.equal(configuredRolesPath(P).length, DEFAULT_ROLES_PATH.length)
  assert.ok(configuredRolesPath(P).includes('/etc/ansible/roles'))
})

test('collection roles by FQCN: the playbook collections/ dir first, then collections_path(s); dependencies by short name within the collection', () => {
  process.env.ANSIBLE_CONFIG = join(P, 'none.cfg')
  const coll = (root: string, r: string) => join(root, 'ansible_collections/acme/tools/roles', r)
  role(coll(join(P, 'collections'), 'db'), '- command: echo\n', 'dependencies: [common]\n')
  role(coll(join(P, 'collections'), 'common'))
  const [db] = load('[acme.tools.db]')
  const r = db!.role!
  assert.deepEqual([r.name, r.fqcn, r.collection, r.via], ['db', 'acme.tools.db', 'acme.tools', 'roles'])
  const dep = db!.block[0] as BlockTask
  assert.deepEqual([dep.role!.fqcn, dep.role!.via, dep.role!.parents?.map((p: RoleContext) => p.name)], ['acme.tools.common', 'dependency', ['db']])
  // ANSIBLE_COLLECTIONS_PATH, or an entry that names ansible_collections itself
  const elsewhere = join(P, 'other')
  role(coll(join(P, 'site-colls'), 'web'))
  process.env.ANSIBLE_COLLECTIONS_PATH = join(P, 'site-colls', 'ansible_collections')
  assert.equal(load('[acme.tools.web]', elsewhere)[0]!.role!.dir, coll(join(P, 'site-colls'), 'web'))
  assert.deepEqual(collectionsPaths(elsewhere), [join(elsewhere, 'collections'), join(P, 'site-colls', 'ansible_collections')])
  delete process.env.ANSIBLE_COLLECTIONS_PATH
  writeFileSync(join(P, 'colls.cfg'), '[defaults]\ncollections_paths = site-colls\n')
  process.env.ANSIBLE_CONFIG = join(P, 'colls.cfg')
  assert.equal(load('[acme.tools.web]', elsewhere)[0]!.role!.dir, coll(join(P, 'site-colls'), 'web'))
})

test('a role not found names the entry and every dir searched, collections first', () => {
  process.env.ANSIBLE_CONFIG = join(P, 'none.cfg')
  process.env.ANSIBLE_ROLES_PATH = '/srv/roles'
  assert.throws(
    () => load('[acme.tools.nope]'),
    (e: Error) =>
      e.message.startsWith(`role 'acme.tools.nope' not found (searched: ${P}/collections/ansible_collections/acme/tools/roles/nope, `) &&
      e.message.includes(`${P}/roles/acme.tools.nope, /srv/roles/acme.tools.nope, ${P}/acme.tools.nope`),
  )
})

test("the play's collections: a role's short name is looked for in each, in order, before roles/", () => {
  process.env.ANSIBLE_CONFIG = join(P, 'none.cfg')
  const dir = join(P, 'with-collections')
  role(join(dir, 'collections/ansible_collections/acme/extra/roles/proxy'))
  role(join(dir, 'collections/ansible_collections/acme/tools/roles/proxy'))
  role(join(dir, 'roles/proxy'))
  const play = (cols: string) =>
    loadPlaybookText(`- hosts: all\n  collections: ${cols}\n  roles: [proxy]\n`, join(dir, 'site.yml'), opts).plays[0]!.roles as BlockTask[]
  assert.equal(play('[acme.tools, acme.extra]')[0]!.role!.fqcn, 'acme.tools.proxy')
  assert.equal(play('[acme.other, acme.extra]')[0]!.role!.fqcn, 'acme.extra.proxy')
  assert.equal(play('[acme.other]')[0]!.role!.dir, join(dir, 'roles/proxy'))
})
