/** The lookups over variables, the environment and the inventory: env, vars, varnames, inventory_hostnames. */
import { undefinedVar } from '../../errors.js'
import { isUndef, strict } from '../undefined.js'
import { pyRegex } from '../py-regex.js'
import { isMapping, pystr, pyType } from '../py.js'
import { type Lookup, LookupError } from './types.js'

const env: Lookup = (terms, kw) =>
  terms.map((t) => {
    const name = pystr(t).split(/\s+/).filter(Boolean)[0] ?? ''
    const v = Object.hasOwn(process.env, name) ? process.env[name] : Object.hasOwn(kw, 'default') ? kw.default : ''
    if (isUndef(v)) throw strict(v)
    return v
  })

const vars: Lookup = (terms, kw, e) =>
  terms.map((t) => {
    if (typeof t !== 'string') throw new LookupError(`Invalid setting identifier, "${pystr(t)}" is not a string, its a ${pyType(t)}`)
    let v = e.resolve(t)
    if (isUndef(v)) {
      const hv = e.resolve('hostvars')
      const me = e.resolve('inventory_hostname')
      const own = isMapping(hv) && typeof me === 'string' ? hv[me] : undefined
      if (isMapping(own) && Object.hasOwn(own, t)) v = e.template(own[t])
    }
    if (!isUndef(v)) return v
    if (kw.default !== undefined && kw.default !== null) return kw.default
    throw undefinedVar(`No variable found with this name: ${t}`)
  })

const varnames: Lookup = (terms, _kw, e) => {
  const names = Object.keys(e.vars)
  return terms.flatMap((t) => {
    if (typeof t !== 'string') throw new LookupError(`Invalid setting identifier, "${pystr(t)}" is not a string, it is a ${pyType(t)}`)
    let re: RegExp
    try {
      re = pyRegex(t, {}, false)
    } catch (err) {
      throw new LookupError(`Unable to use "${t}" as a search parameter: ${(err as Error).message}`)
    }
    return names.filter((n) => re.test(n))
  })
}

const inventoryHostnames: Lookup = (terms, _kw, e) => {
  try {
    return e.ctx.hosts(terms.map((t) => pystr(t)).join(','))
  } catch {
    return []
  }
}

export const VAR_LOOKUPS: Record<string, Lookup> = { env, vars, varnames, inventory_hostnames: inventoryHostnames }
