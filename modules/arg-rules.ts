/**
 * Rules between arguments, as data (Ansible's mutually_exclusive, required_one_of, required_together,
 * required_if, required_by), so they are checked at load with file:line wherever the values are
 * literals, at run time once templates are rendered, and shown by `acplay doc`.
 *
 * "Given" means present with a value (an argument templated to `omit` is absent). At load time an
 * argument whose value is a template is *unknown*: it may turn out given or omitted, so it never
 * makes a rule fail there, and the rule is checked again at run time.
 */
import { paramError, type Location } from '../engine/errors.js'

/** [argument, value, then these arguments are required, anyOf: one of them is enough] */
export type RequiredIf = readonly [param: string, value: unknown, requirements: readonly string[], anyOf?: boolean]

export interface ArgumentRules {
  /** groups of arguments of which at most one may be given */
  mutuallyExclusive?: readonly (readonly string[])[]
  /** groups of arguments of which at least one must be given */
  requiredOneOf?: readonly (readonly string[])[]
  /** groups of arguments given all together or not at all */
  requiredTogether?: readonly (readonly string[])[]
  /** when an argument has a value, others are required */
  requiredIf?: readonly RequiredIf[]
  /** when an argument is given, others are required */
  requiredBy?: Readonly<Record<string, readonly string[]>>
}

export interface RuleInput {
  /** arguments the user gave (by canonical name), before defaults */
  given: ReadonlySet<string>
  /** arguments whose value is not known yet (a template at load time) */
  unknown?: ReadonlySet<string>
  /** the validated values, defaults applied */
  values: Readonly<Record<string, unknown>>
}

const list = (names: readonly string[]) => names.join(', ')

/** Throws a parameter error (at `where`) for the first rule the arguments break. */
export function checkRules(rules: ArgumentRules, input: RuleInput, where: Location): void {
  const unknown = input.unknown ?? new Set<string>()
  const given = (n: string) => input.given.has(n) && !unknown.has(n)
  const maybe = (n: string) => input.given.has(n) || unknown.has(n) || input.values[n] !== undefined
  for (const group of rules.mutuallyExclusive ?? []) {
    const both = group.filter(given)
    if (both.length > 1) throw paramError(`arguments are mutually exclusive: ${list(both)}`, where)
  }
  for (const group of rules.requiredOneOf ?? []) {
    if (!group.some(maybe)) throw paramError(`one of these arguments is required: ${list(group)}`, where)
  }
  for (const group of rules.requiredTogether ?? []) {
    const present = group.filter(given)
    const absent = group.filter((n) => !maybe(n))
    if (present.length > 0 && absent.length > 0) {
      throw paramError(`arguments are required together: ${list(group)} (missing: ${list(absent)})`, where)
    }
  }
  for (const [param, value, requirements, anyOf] of rules.requiredIf ?? []) {
    if (unknown.has(param) || input.values[param] !== value) continue
    const missing = requirements.filter((n) => !maybe(n))
    const broken = anyOf ? missing.length === requirements.length : missing.length > 0
    if (broken) {
      const what = anyOf ? `one of ${list(requirements)}` : list(missing)
      throw paramError(`${param} is ${JSON.stringify(value)} but ${anyOf ? 'none of these is given' : 'these are missing'}: ${what}`, where)
    }
  }
  for (const [param, requirements] of Object.entries(rules.requiredBy ?? {})) {
    if (!given(param)) continue
    const missing = requirements.filter((n) => !maybe(n))
    if (missing.length > 0) throw paramError(`argument '${param}' needs ${list(missing)}`, where)
  }
}

/** The rules in words, one line each, for `acplay doc` and docs/modules.md. */
export function describeRules(rules: ArgumentRules): string[] {
  return [
    ...(rules.mutuallyExclusive ?? []).map((g) => `mutually exclusive: ${list(g)}`),
    ...(rules.requiredOneOf ?? []).map((g) => `one of these is required: ${list(g)}`),
    ...(rules.requiredTogether ?? []).map((g) => `required together: ${list(g)}`),
    ...(rules.requiredIf ?? []).map(
      ([p, v, reqs, anyOf]) => `when ${p} is ${JSON.stringify(v)}: ${anyOf ? `one of ${list(reqs)} is required` : `${list(reqs)} required`}`,
    ),
    ...Object.entries(rules.requiredBy ?? {}).map(([p, reqs]) => `${p} needs ${list(reqs)}`),
  ]
}
