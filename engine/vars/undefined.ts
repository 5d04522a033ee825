/**
 * Ansible's StrictUndefined, as a value: a missing variable or attribute evaluates to an `Undef`
 * that remembers its name, so `x is defined` and `x | default()` can look at it and every other use
 * raises E_UNDEFINED_VAR naming it (a bare JS `undefined` would carry no name). Attribute access on
 * an Undef gives the same Undef, as AnsibleUndefined does, so the first missing name is reported.
 */
import { AcplayError, undefinedVar } from '../errors.js'

export class Undef {
  /** how many were made; a render that made none cannot hold one inside its result */
  static made = 0
  constructor(
    /** the expression as written: `airflow_password`, `pg.port` */
    readonly name: string,
    /** why, when it is an attribute: `'pg' has no attribute 'port'` */
    readonly reason?: string,
    /**
     * Jinja's plain Undefined (what `x if c` gives when c is false): prints as '', is false,
     * iterates as empty; anything else is still an error.
     */
    readonly lenient = false,
  ) {
    Undef.made++
  }

  error(): AcplayError {
    return undefinedVar(`'${this.name}' is undefined${this.reason ? ` (${this.reason})` : ''}`)
  }

  // Any accidental coercion (JSON, string concat) is an error too, never "[object Object]".
  toJSON(): never {
    throw this.error()
  }
  toString(): never {
    throw this.error()
  }
}

export const isUndef = (v: unknown): v is Undef => v instanceof Undef

/**
 * Check mode's unknown (engine/unknown.ts): a value that only exists once an earlier task has
 * really run (a command's registered result). Attribute access gives the same value, like Undef;
 * any use that needs the value (a test, a filter, a comparison, truthiness, printing) raises
 * E_UNKNOWN, so a `when:` on it is "may run" and a task templated from it "may change".
 */
export class UnknownValue extends Undef {
  constructor(
    /** the task whose run would give the value */
    readonly after: string,
  ) {
    super('a registered result')
  }

  override error(): AcplayError {
    return new AcplayError('E_UNKNOWN', `'${this.name}' is unknown in check mode until task '${this.after}' has run`)
  }
}

/** Raises E_UNKNOWN for an unknown value (tests and filters never look inside one: `is defined` and `default` would guess). */
export function known<T>(v: T): T {
  if (v instanceof UnknownValue) throw v.error()
  return v
}

/**
 * Raises E_UNKNOWN when v holds an unknown value near its top (a looped task's registered results:
 * `results[i]`, or a subelements pair's parent). A few levels only: loop items can be big
 * (hostvars), and an unknown is only ever a registered result.
 */
export function knownDeep<T>(v: T, levels = 3): T {
  if (v instanceof UnknownValue) throw v.error()
  if (levels === 0 || v === null || typeof v !== 'object' || v instanceof Undef) return v
  for (const x of Array.isArray(v) ? v : Object.values(v)) knownDeep(x, levels - 1)
  return v
}

/** Returns v, or raises the undefined error it stands for. */
export function strict<T>(v: T): T {
  if (v instanceof Undef) throw v.error()
  return v
}

/** Template errors that are not about undefined names (syntax, type errors, loops). */
export const templateError = (msg: string) => new AcplayError('E_TEMPLATE', msg)
