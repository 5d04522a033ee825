/** Writes an Ansible INI inventory for testbed hosts (the same file acplay and ansible-playbook read). */
export interface InventoryHost {
  name: string
  address: string
}

export interface InventoryOptions {
  /** ansible_user for every host: root (default) or deploy (then tasks need become) */
  user?: string
  /** group name -> host names, e.g. { database: ['db'], web: ['web'] } */
  groups?: Record<string, string[]>
  /** written as [all:vars] */
  vars?: Record<string, string | number | boolean>
  /** only these hosts (default: all of the testbed's) */
  hosts?: string[]
}

export function inventoryText(hosts: InventoryHost[], key: string, knownHostsFile: string, o: InventoryOptions = {}): string {
  const names = new Set(hosts.map((h) => h.name))
  const lines = hosts.map(
    (h) =>
      `${h.name} ansible_host=${h.address} ansible_user=${o.user ?? 'root'} ansible_ssh_private_key_file=${key} ` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile}'`,
  )
  for (const [group, members] of Object.entries(o.groups ?? {})) {
    const unknown = members.filter((m) => !names.has(m))
    if (unknown.length) throw new Error(`testbed inventory: group ${group} names unknown hosts: ${unknown.join(', ')}`)
    lines.push('', `[${group}]`, ...members)
  }
  const vars = Object.entries(o.vars ?? {})
  if (vars.length) lines.push('', '[all:vars]', ...vars.map(([k, v]) => `${k}=${iniValue(v)}`))
  return `${lines.join('\n')}\n`
}

function iniValue(v: string | number | boolean): string {
  const s = String(v)
  return /^[\w./:@%+=,-]*$/.test(s) && s !== '' ? s : `'${s.replace(/'/g, "\\'")}'`
}
