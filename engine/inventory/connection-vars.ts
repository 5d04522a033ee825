/**
 * Connection variables that can be checked when the inventory loads: a bad port or timeout is the
 * inventory's error (file, line, host), not a crash when the first task connects. Templates are
 * checked once rendered, when the connection is made (engine/run/connections.ts).
 */
const TEMPLATE = /\{\{|\{%/

const CONNECTIONS = ['ssh', 'smart', 'paramiko', 'local']

/** What is wrong with `key=value`, or undefined when it is fine (or not a connection variable). */
export function connectionVarProblem(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && TEMPLATE.test(value))) return undefined
  const shown = JSON.stringify(value)
  switch (key) {
    case 'ansible_port':
    case 'ansible_ssh_port': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `${key} must be a port number (1-65535), got ${shown}`
    }
    case 'ansible_timeout':
    case 'ansible_ssh_timeout': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
      return n > 0 ? undefined : `${key} must be a number of seconds above 0, got ${shown}`
    }
    case 'ansible_host':
    case 'ansible_ssh_host':
      return typeof value === 'string' && /^[^\s/]+$/.test(value) ? undefined : `${key} must be a host name or address, got ${shown}`
    case 'ansible_user':
    case 'ansible_ssh_user':
      return (typeof value === 'string' || typeof value === 'number') && /^[^\s:@/]+$/.test(String(value))
        ? undefined
        : `${key} must be a user name, got ${shown}`
    case 'ansible_connection':
      return CONNECTIONS.includes(String(value)) ? undefined : `${key} '${String(value)}' is not supported (${CONNECTIONS.join(', ')})`
  }
  return undefined
}
