/** ansible.cfg: where it is and what a `[section] key = value` says (INI, `#`/`;` comments). */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** $ANSIBLE_CONFIG, else ./ansible.cfg, else ansible.cfg beside the playbook (Ansible's order, less the home and /etc files). */
export function findAnsibleCfg(baseDir: string, cwd: string = process.cwd()): string | undefined {
  if (process.env.ANSIBLE_CONFIG) return existsSync(process.env.ANSIBLE_CONFIG) ? resolve(process.env.ANSIBLE_CONFIG) : undefined
  return [join(cwd, 'ansible.cfg'), join(baseDir, 'ansible.cfg')].find((p) => existsSync(p))
}

/** The value of `key` in `[section]`, or undefined. */
export function ansibleCfgValue(file: string, section: string, key: string): string | undefined {
  let current = ''
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const sec = /^\[(.+)\]$/.exec(line)
    if (sec) current = sec[1]!.trim()
    const kv = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(line)
    if (current === section && kv?.[1] === key) return kv[2]!.trim()
  }
  return undefined
}
