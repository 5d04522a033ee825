/** Errors with a stable `code` and a location, printed by the CLI in one or two lines. */
export interface Location {
  file?: string
  line?: number
  col?: number
  task?: string
  host?: string
}

export class AcplayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly where: Location = {},
  ) {
    super(message)
    this.name = 'AcplayError'
  }

  /** "file:line:col: message (task 'x', host y)" */
  describe(): string {
    const w = this.where
    const pos = w.file ? `${w.file}${w.line ? `:${w.line}` : ''}${w.line && w.col ? `:${w.col}` : ''}: ` : ''
    const ctx = [w.task ? `task '${w.task}'` : '', w.host ? `host ${w.host}` : ''].filter(Boolean).join(', ')
    return `${this.code}: ${pos}${this.message}${ctx ? ` (${ctx})` : ''}`
  }
}

export const yamlError = (msg: string, where: Location) => new AcplayError('E_YAML', msg, where)
export const paramError = (msg: string, where: Location = {}) => new AcplayError('E_PARAM', msg, where)
export const unknownModule = (msg: string, where: Location = {}) => new AcplayError('E_UNKNOWN_MODULE', msg, where)
export const undefinedVar = (msg: string, where: Location = {}) => new AcplayError('E_UNDEFINED_VAR', msg, where)
export const unreachable = (msg: string, where: Location = {}) => new AcplayError('E_UNREACHABLE', msg, where)
export const hostKeyError = (msg: string, where: Location = {}) => new AcplayError('E_HOSTKEY', msg, where)
export const becomeError = (msg: string, where: Location = {}) => new AcplayError('E_BECOME', msg, where)
export const inventoryError = (msg: string, where: Location = {}) => new AcplayError('E_INVENTORY', msg, where)
export const playbookError = (msg: string, where: Location = {}) => new AcplayError('E_PLAYBOOK', msg, where)
/** A command passed its time limit (the task keyword `timeout`); it was stopped. */
export const timeoutError = (msg: string, where: Location = {}) => new AcplayError('E_TIMEOUT', msg, where)
/** The run was interrupted (SIGINT, SIGTERM) while this host was working. */
export const interruptedError = (msg: string, where: Location = {}) => new AcplayError('E_INTERRUPTED', msg, where)
export const optionError = (msg: string) => new AcplayError('E_OPTION', msg)

/** A module's own failure: the task fails with this message, the run goes on. */
export class ModuleFailure extends Error {
  constructor(
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ModuleFailure'
  }
}

/** A read that saw the host change under it (a file rewritten while it was read): asking again may succeed. */
export class ChangedWhileRead extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChangedWhileRead'
  }
}
