/** A small module registry for loader tests: the loader only reads names, aliases and params. */
import path from 'node:path'
import type { ModuleSpec } from '../../../modules/types.js'
import type { ParamSpecs } from '../../../modules/schema.js'
import assert from 'node:assert/strict'
import { AcplayError } from '../../../engine/errors.js'
import { loadPlaybookText, type LoadOptions } from '../../../engine/playbook/load.js'

const mod = (name: string, params: ParamSpecs, aliases?: string[]): ModuleSpec => ({
  name,
  aliases,
  summary: name,
  params,
  plan: async () => ({ kind: 'ok', reason: 'fake' }),
})
const s = (required = false) => ({ type: 'str' as const, description: '', required })
const cmd = { cmd: s(), chdir: s(), creates: s(), removes: s() }

export const fakeModules: Record<string, ModuleSpec> = {
  copy: mod('copy', { src: s(), dest: s(true), content: s(), mode: s(), force: { type: 'bool', description: '' } }),
  command: mod('command', cmd),
  shell: mod('shell', cmd),
  apt: mod('apt', { name: { type: 'list', description: '', aliases: ['pkg'] }, state: s() }),
  user: mod('user', { name: s(true), state: { type: 'str', description: '', choices: ['present', 'absent'] }, uid: { type: 'int', description: '' } }),
  service: mod('service', { name: s(true), state: s() }, ['systemd']),
  postgresql_user: mod('postgresql_user', { name: s(true), password: s() }),
}

export const opts: LoadOptions = { modules: fakeModules }

export const fixtures = path.resolve(process.cwd(), 'test/fixtures/playbook')

/** Loads `yaml` as the playbook `file` and returns the error's one-line description, with the file shortened to `F`. */
export function loadError(yaml: string, file: string): string {
  try {
    loadPlaybookText(yaml, file, opts)
  } catch (e) {
    assert.ok(e instanceof AcplayError, String(e))
    return e.describe().replace(file, 'F')
  }
  assert.fail('expected an error')
}
