/** Comparing server setting values the way PostgreSQL reads them: units (128MB = 16384 x 8kB), booleans, enums. */
const MEMORY: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }
const TIME: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }

/** "16384" in unit "8kB" -> bytes; "30s" -> ms; undefined when not a number with a known unit. */
export function inBaseUnits(value: string, unit: string | null | undefined): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value)
  if (!m) return undefined
  const n = Number(m[1])
  const u = m[2] || unit || ''
  if (!m[2] && unit) {
    // the setting's own unit may carry a factor: "8kB", "16MB"
    const um = /^(\d*)([A-Za-z]+)$/.exec(unit)
    if (!um) return undefined
    const factor = Number(um[1] || 1)
    const mult = MEMORY[um[2]!] ?? TIME[um[2]!]
    return mult === undefined ? undefined : n * factor * mult
  }
  if (!u) return n
  const mult = MEMORY[u] ?? TIME[u]
  return mult === undefined ? undefined : n * mult
}

const BOOL: Record<string, string> = { on: 'on', true: 'on', yes: 'on', '1': 'on', off: 'off', false: 'off', no: 'off', '0': 'off' }

/** Whether `a` and `b` mean the same value of a setting of type `vartype` with unit `unit`. */
export function sameSetting(a: string, b: string, vartype: string | undefined, unit: string | null | undefined): boolean {
  if (a === b) return true
  switch (vartype) {
    case 'bool':
      return BOOL[a.trim().toLowerCase()] !== undefined && BOOL[a.trim().toLowerCase()] === BOOL[b.trim().toLowerCase()]
    case 'integer':
    case 'real': {
      const x = inBaseUnits(a, unit)
      const y = inBaseUnits(b, unit)
      return x !== undefined && y !== undefined && Math.abs(x - y) < 1e-9
    }
    case 'enum':
      return a.trim().toLowerCase() === b.trim().toLowerCase()
    default:
      return false
  }
}
