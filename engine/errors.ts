/** Errors with a stable `code` and a location, printed by the CLI in one or two lines. */

/**
 * Every code acplay reports, in one place: what it means, the code `acplay run` exits with when
 * the error ends the run (as ansible-playbook: 4 the playbook or inventory could not be used, 5 bad
 * options, 1 other errors; within a run a task's error fails the task, and the recap decides), and
 * whether it makes a host unreachable rather than a task failed. docs/errors.md is generated from this table
 * (`npm run docs`); a code not listed here does not compile.
 */
export const ERROR_CODES = {
  E_OPTION: { exit: 5, meaning: 'A command-line option or an -e value is wrong (a bad flag value, an -e @file that cannot be read).' },
  E_YAML: { exit: 4, meaning: 'A YAML file (playbook, tasks, vars, inventory) does not parse; the position of the syntax error is given.' },
  E_PLAYBOOK: {
    exit: 4,
    meaning: 'The playbook is not valid: an unknown or misplaced keyword, a wrong value type, a role or file not found, an import cycle.',
  },
  E_UNKNOWN_MODULE: { exit: 4, meaning: 'A task names a module or action that no built-in or custom module answers to (closest names suggested).' },
  E_UNSUPPORTED_MODULE: {
    exit: 1,
    meaning: 'A task that runs names a module Ansible has and acplay does not (yet); the playbook loads, and the task fails on the hosts it would run on.',
  },
  E_PARAM: { exit: 4, meaning: "A module's arguments are wrong: unknown, missing, of the wrong type, not one of the choices, or against a rule between them." },
  E_INVENTORY: { exit: 4, meaning: 'The inventory is not valid (a bad line or value, a source that cannot be read, a host pattern that does not parse).' },
  E_LIBRARY: { exit: 4, meaning: 'A custom module cannot be loaded (not found, not built, a bad spec, a name that shadows another).' },
  E_UNDEFINED_VAR: { exit: 1, meaning: 'A template uses a variable that is not defined (the task fails; `default` or `is defined` avoid it).' },
  E_UNKNOWN: {
    exit: 1,
    meaning:
      'Check mode only: a value that exists once an earlier task has really run (a command it did not run) was needed; the task is reported as may change, never failed.',
  },
  E_TEMPLATE: { exit: 1, meaning: 'A template does not render: a syntax error, an unknown filter or test, a filter given the wrong value.' },
  E_LOOP: { exit: 1, meaning: "A task's `loop` did not yield a list." },
  E_UNREACHABLE: { exit: 1, unreachable: true, meaning: 'A host cannot be reached over SSH (connection refused or timed out, authentication failed).' },
  E_HOSTKEY: { exit: 1, unreachable: true, meaning: "A host's SSH key is not the one in known_hosts (or none is known and checking is on)." },
  E_BECOME: {
    exit: 1,
    meaning:
      'sudo or su refused to become the user (a password is needed or wrong, the user is not allowed or does not exist, su to a user whose login shell is nologin), sudo, su or the become_exe program is not on the host, or a become method other than sudo and su was asked for.',
  },
  // 1, as ansible-playbook and ansible-vault exit on a vault error
  E_VAULT: { exit: 1, meaning: 'A vault value or file cannot be decrypted (no password, the wrong one, or data that is not vault data).' },
  E_CONFIG: {
    exit: 1,
    meaning:
      'A setting in ansible.cfg or its ANSIBLE_* variable is not valid (a boolean, an integer, a choice); the file:line and key, or the variable, are named.',
  },
  E_NO_HANDLER: {
    exit: 1,
    meaning: 'A task that changed notified a name no handler has or listens to: the run stops there, as ansible-playbook stops (error_on_missing_handler).',
  },
  E_NO_HOSTS: {
    exit: 1,
    meaning: 'The inventory has hosts, but --limit leaves none of them, or a host pattern matches nothing under host_pattern_mismatch = error; nothing ran.',
  },
  E_FACT_CACHE: { exit: 1, meaning: 'The jsonfile fact cache cannot be written.' },
  E_TIMEOUT: { exit: 1, meaning: "A task's command ran past the task keyword `timeout`; it was stopped and the task failed." },
  E_INTERRUPTED: { exit: 1, meaning: 'The run was interrupted (SIGINT, SIGTERM) while this host was working; the run exits 130 or 143.' },
  E_LOCKED: { exit: 1, meaning: 'Another run holds the host (`acplay run --lock`) and did not let go in time.' },
  E_MERGE: { exit: 1, meaning: '`acplay report merge` refused its parts (not audit reports, different playbooks or modes, a host in two parts).' },
  E_FILE_NOT_FOUND: {
    exit: 1,
    meaning:
      'A file a task names (a copy/template src, include_vars, include_tasks, a lookup) is in none of the places Ansible looks (role, task file dir, play dir); they are listed.',
  },
  E_SOURCE: { exit: 1, meaning: 'A file being streamed to a host (a large copy src) could not be read to its end.' },
} as const satisfies Record<string, { exit: number; meaning: string; unreachable?: true }>

export type ErrorCode = keyof typeof ERROR_CODES

export interface Location {
  file?: string
  line?: number
  col?: number
  task?: string
  host?: string
}

/** Sources that are no file the user wrote (the ad-hoc command's play), by the label errors name them with. */
const sourceLabels = new Map<string, string>()

/** Errors at `file` name `label` instead, without line and column (they would point into text acplay made). */
export function labelSource(file: string, label: string): void {
  sourceLabels.set(file, label)
}

/** "file:line:col", or the label of a source that is not a file. */
export function position(w: Location): string {
  const label = w.file === undefined ? undefined : sourceLabels.get(w.file)
  if (label !== undefined) return label
  return `${w.file}${w.line ? `:${w.line}` : ''}${w.line && w.col ? `:${w.col}` : ''}`
}

export class AcplayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly where: Location = {},
  ) {
    super(message)
    this.name = 'AcplayError'
  }

  /** "file:line:col: message (task 'x', host y)" */
  describe(): string {
    const w = this.where
    const pos = w.file ? `${position(w)}: ` : ''
    const ctx = [w.task ? `task '${w.task}'` : '', w.host ? `host ${w.host}` : ''].filter(Boolean).join(', ')
    return `${this.code}: ${pos}${this.message}${ctx ? ` (${ctx})` : ''}`
  }

  /** The exit code of a run this error ends (ERROR_CODES). */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit
  }

  /** The host is unreachable: its task counts as unreachable, not failed. */
  get unreachable(): boolean {
    return 'unreachable' in ERROR_CODES[this.code]
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
