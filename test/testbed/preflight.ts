/** What the testbed needs on the outer machine, checked up front so a skip can say exactly why. */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export const TOOLS = ['systemd-nspawn', 'mmdebstrap', 'ip', 'ssh', 'ssh-keygen', 'mount', 'umount', 'nsenter', 'unshare']

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])
  return dirs.some((d) => {
    try {
      accessSync(join(d, tool), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

export function missingTools(): string[] {
  return TOOLS.filter((t) => !onPath(t))
}
