/** Where a relative file is looked up: Ansible's path_dwim_relative_stack order (lists taken from ansible-playbook -vvvvv). */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import type { AcplayError } from '../../../engine/errors.js'
import type { RoleContext } from '../../../engine/playbook/types.js'
import { candidates, findFile, searchPath, searchPaths, taskFileCandidates } from '../../../engine/run/find-file.js'

const P = mkdtempSync(join(tmpdir(), 'acplay-find-'))
after(() => rmSync(P, { recursive: true, force: true }))
const role = (name: string, dir: string, parents?: RoleContext[]): RoleContext => ({
  name,
  dir,
  defaults: {},
  vars: {},
  definitionVars: {},
  params: {},
  parents,
})
const r1 = role('r1', `${P}/roles/r1`)

test('a role task in an included file: role kind dir, role dir, the task file dir (kind, bare), the play dir (kind, bare)', () => {
  const ctx = { role: r1, taskFile: `${P}/roles/r1/tasks/sub/inner.yml`, playDir: P }
  assert.deepEqual(candidates('nothere.txt', 'files', ctx), [
    `${P}/roles/r1/files/nothere.txt`,
    `${P}/roles/r1/nothere.txt`,
    `${P}/roles/r1/tasks/sub/files/nothere.txt`,
    `${P}/roles/r1/tasks/sub/nothere.txt`,
    `${P}/files/nothere.txt`,
    `${P}/nothere.txt`,
  ])
  // include_vars: the same with vars/
  assert.deepEqual(searchPaths('vars', ctx).slice(0, 3), [`${P}/roles/r1/vars`, `${P}/roles/r1`, `${P}/roles/r1/tasks/sub/vars`])
  // a path that already starts with the kind still gets it prepended (Ansible compares bytes to str there)
  assert.equal(candidates('files/x', 'files', ctx)[0], `${P}/roles/r1/files/files/x`)
})

test('a play task in an included file; the dependency chain; absolute and ~ paths', () => {
  assert.deepEqual(candidates('t.j2', 'templates', { taskFile: `${P}/inc/t.yml`, playDir: P }), [
    `${P}/inc/templates/t.j2`,
    `${P}/inc/t.j2`,
    `${P}/templates/t.j2`,
    `${P}/t.j2`,
  ])
  const dep = role('dep', `${P}/roles/dep`, [r1])
  assert.deepEqual(searchPath({ role: dep, taskFile: `${P}/roles/dep/tasks/main.yml`, playDir: P }), [
    `${P}/roles/dep`,
    `${P}/roles/r1`,
    `${P}/roles/dep/tasks`,
    P,
  ])
  assert.deepEqual(candidates('/etc/x', 'files', { playDir: P }), ['/etc/x'])
  assert.equal(candidates('~/x', 'files', { playDir: P })[0]!.endsWith('/x'), true)
  assert.equal(candidates('~/x', 'files', { playDir: P }).length, 1)
})

test('the first that exists wins; none: E_FILE_NOT_FOUND at the task, naming every place', () => {
  mkdirSync(`${P}/roles/r1/files`, { recursive: true })
  mkdirSync(`${P}/files`, { recursive: true })
  writeFileSync(`${P}/files/both.txt`, 'play')
  const ctx = { role: r1, taskFile: `${P}/roles/r1/tasks/main.yml`, playDir: P, where: { file: `${P}/roles/r1/tasks/main.yml`, line: 3, col: 3 } }
  assert.equal(findFile('both.txt', 'files', ctx), `${P}/files/both.txt`)
  writeFileSync(`${P}/roles/r1/files/both.txt`, 'role')
  assert.equal(findFile('both.txt', 'files', ctx), `${P}/roles/r1/files/both.txt`)
  assert.throws(
    () => findFile('gone.txt', 'files', ctx),
    (e: AcplayError) =>
      e.describe() ===
      `E_FILE_NOT_FOUND: ${P}/roles/r1/tasks/main.yml:3:3: could not find or access 'gone.txt' (searched: ${P}/roles/r1/files/gone.txt, ` +
        `${P}/roles/r1/gone.txt, ${P}/roles/r1/tasks/files/gone.txt, ${P}/roles/r1/tasks/gone.txt, ${P}/files/gone.txt, ${P}/gone.txt)`,
  )
})

test('task files: the role tasks/ (handlers/ for handlers) first, then beside the including file, the role dir, the play dir', () => {
  const ctx = { role: r1, taskFile: `${P}/roles/r1/tasks/sub/a.yml`, playDir: P }
  assert.deepEqual(taskFileCandidates('b.yml', ctx), [`${P}/roles/r1/tasks/b.yml`, `${P}/roles/r1/tasks/sub/b.yml`, `${P}/roles/r1/b.yml`, `${P}/b.yml`])
  assert.equal(taskFileCandidates('b.yml', { ...ctx, handler: true })[0], `${P}/roles/r1/handlers/b.yml`)
  assert.deepEqual(taskFileCandidates('y.yml', { taskFile: `${P}/tasks/x.yml`, playDir: P }), [`${P}/tasks/y.yml`, `${P}/y.yml`])
})
