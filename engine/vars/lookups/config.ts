/**
 * The `config` lookup (ansible.builtin.config): a setting's value by Ansible's name
 * (DEFAULT_BECOME_USER, DEFAULT_FORKS...), from the environment and the playbook's ansible.cfg
 * in effect (engine/config/settings.ts), never the command line, as in Ansible. acplay answers the settings
 * it reads; any other name is missing (on_missing=error|warn|skip).
 */
import { isSettingName, SETTINGS, setting, sourceFor } from '../../config/settings.js'
import { pystr, pyType } from '../py.js'
import { isUndef } from '../undefined.js'
import { type Lookup, LookupError } from './types.js'

const ON_MISSING = ['error', 'warn', 'skip']

export const config: Lookup = (terms, kw, e) => {
  const onMissing = kw.on_missing ?? 'error'
  if (typeof onMissing !== 'string' || !ON_MISSING.includes(onMissing))
    throw new LookupError(`"on_missing" must be a string and one of "error", "warn" or "skip", not ${pystr(onMissing)}`)
  if (kw.plugin_type !== undefined || kw.plugin_name !== undefined)
    throw new LookupError("plugin_type and plugin_name are not supported by acplay: it answers Ansible's global settings only")
  // the run's ansible.cfg (an imported playbook elsewhere reads the same one); outside a run, the one for the base dir
  const file = e.resolve('ansible_config_file')
  const src = isUndef(file) ? sourceFor(e.ctx.baseDir) : { cfgFile: typeof file === 'string' ? file : undefined }
  return terms.flatMap((t) => {
    if (typeof t !== 'string') throw new LookupError(`Invalid setting identifier, "${pystr(t)}" is not a string, its a ${pyType(t)}`)
    if (isSettingName(t)) return [setting(t, src) ?? null]
    if (onMissing === 'error') throw new LookupError(`Unable to find setting ${t} (acplay knows: ${Object.keys(SETTINGS).join(', ')})`)
    if (onMissing === 'warn') e.ctx.warn(`Skipping, did not find setting ${t}`)
    return []
  })
}
