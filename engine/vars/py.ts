/**
 * Python value semantics that Jinja users rely on and JS gets wrong: truthiness ([] and {} are
 * false), str() and repr() (True, None, 5.0, ('a', 1)), == on lists/dicts, + on lists, 'x' * 3,
 * int vs float (10 / 2 is 5.0), floor division and modulo with Python's signs.
 *
 * One file for each area, all exported from here: py-value.ts (the values, their type and truth),
 * py-str.ts (str() and repr()), py-compare.ts (==, ordering, `in`), py-arith.ts (operators) and
 * py-printf.ts (`%` formatting, float digits).
 */
export * from './py-arith.js'
export * from './py-compare.js'
export * from './py-printf.js'
export * from './py-str.js'
export * from './py-value.js'

/**
 * The most items range() and with_sequence build: Python would try any size (and exhaust memory on
 * the way); V8 aborts the whole process past ~10^8, so a bigger one is a clear error instead.
 */
export const MAX_RANGE = 10_000_000

/** How many items start..stop by step makes (Python's len(range(...))). */
export const rangeLength = (start: number, stop: number, step: number): number => Math.max(0, Math.ceil((stop - start) / step))
