/**
 * Ansible's variable precedence, in the order users meet it (lowest first). The run loop passes
 * each layer by name, so the order lives here and nowhere else. Later layers replace earlier
 * ones key by key, without deep merging (Ansible's default hash_behaviour=replace).
 */
import { mergeMarked } from './unsafe.js'

export type Vars = Record<string, unknown>

export const VAR_LAYERS = [
  'roleDefaults', // roles/x/defaults/main.yml
  'inventory', // group vars then host vars, already merged by the inventory code
  'hostFacts', // the host's facts: gathered, or a module's ansible_facts (engine/run/host-facts.ts)
  'play', // play `vars:`
  'varsFiles', // play `vars_files:`, in file order
  'roleVars', // where a role is used, its `vars:` (`roles: [{role: x, vars: ...}]`, import_role's), then roles/x/vars/main.yml
  'block', // block `vars:`, outermost block first
  'task', // task `vars:` and the loop variable
  'includedVars', // include_vars (Ansible's vars cache: under set_fact, whichever came later)
  'facts', // registered results and set_fact
  'roleParams', // a role entry's other keys (`roles: [{role: x, port: 80}]`), its parents' first
  'includeParams', // the `vars:` and loop variable of the include_tasks / include_role the task came in by
  'extra', // -e / --extra-vars
] as const

export type VarLayer = (typeof VAR_LAYERS)[number]

/** A layer is one mapping, or several applied in order (nested blocks, several vars_files). */
export type VarLayers = Partial<Record<VarLayer, Vars | readonly Vars[] | undefined>>

const parts = (layer: Vars | readonly Vars[] | undefined): readonly Vars[] => (layer === undefined ? [] : Array.isArray(layer) ? layer : [layer as Vars])

/** One flat mapping of every layer, the higher layer winning per top-level key (and with it, whether its value is unsafe). */
export function mergeVars(layers: VarLayers): Vars {
  return mergeMarked(VAR_LAYERS.flatMap((name) => parts(layers[name])))
}

/** The layer a variable's value comes from (for `-vvv` and error hints), or undefined. */
export function varSource(name: string, layers: VarLayers): VarLayer | undefined {
  for (const layer of [...VAR_LAYERS].reverse()) {
    if (parts(layers[layer]).some((vars) => Object.hasOwn(vars, name))) return layer
  }
  return undefined
}
