/**
 * acplay's public API: `import { run, load, loadInventory, modules, defineModule } from 'acplay'`.
 * Semantic versioning covers exactly what this file exports (README: "Using acplay from TypeScript");
 * everything else under dist/ is internal and may change in any release.
 */
import { builtinModules } from '../modules/index.js'
import type { ModuleSpec } from '../modules/types.js'

// running playbooks
export { load, run, type Loaded, type RunOptions } from './run.js'
export type { HostRecap, HostResult, Reporter, RunSummary, TaskRef } from './report/types.js'
export type { TaskStatus } from './module-runner.js'
export { jsonReporter } from './report/json.js'
export { plainReporter } from './report/plain.js'
export { loadInventory, type Inventory, type InventoryGroup, type InventoryHost, type Vars } from './inventory/index.js'
export { loadPlaybook } from './playbook/load.js'
export type { Playbook, Play } from './playbook/types.js'
// Ansible Vault: `run({ ...opts, vault: (await openVault({ passwordFiles: ['vault-pass'] })).vault })`
export { Vault, type VaultSecret } from './vault/vault.js'
export { openVault, type VaultSecretOptions } from './vault/secrets.js'

// writing modules
export { defineModule } from '../modules/types.js'
export type { Change, Command, Fact, FactEffect, FileDiff, ModuleContext, ModuleSpec, Outcome, Plan, Upload } from '../modules/types.js'
export { checkSpec, validateParams, PARAM_TYPES, type ParamDef, type ParamSpecs, type ParamType, type ParamValues } from '../modules/schema.js'
export type { ExecResult } from './connection/types.js'
export { AcplayError, ModuleFailure, type Location } from './errors.js'

// custom modules and their documentation
export { loadModules, type LoadedModules } from './library/load.js'
export { moduleDoc, type ModuleDoc, type ParamDoc } from './doc/model.js'
export { moduleText, moduleListText } from './doc/text.js'

/** The built-in modules by canonical name (read-only: pass a copy with your additions to `load`). */
export const modules: Readonly<Record<string, ModuleSpec>> = Object.freeze({ ...builtinModules })
