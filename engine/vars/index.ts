/** Templating and variable precedence: what the run loop and modules import. */
export { Templar, templar, render, evaluate, isTrue, templateValue, isTemplate, markRaw, OMIT, type Vars } from './template.js'
export { mergeVars, varSource, VAR_LAYERS, type VarLayer, type VarLayers } from './precedence.js'
export { parseExtraVars, mergeExtraVars } from './extra-vars.js'
export { truthy, pystr } from './py.js'
export { toBool } from './filters-core.js'
