/** Task actions the engine runs itself (they act on variables or the run, not on the host). */
export const ENGINE_ACTIONS = ['debug', 'set_fact', 'assert', 'fail', 'include_vars'] as const
export type EngineAction = (typeof ENGINE_ACTIONS)[number]

export function isEngineAction(name: string): EngineAction | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  return (ENGINE_ACTIONS as readonly string[]).includes(short) ? (short as EngineAction) : undefined
}
