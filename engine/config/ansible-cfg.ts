/**
 * ansible.cfg: which file ($ANSIBLE_CONFIG, else the current directory, else beside the playbook)
 * and its values; a setting's environment variable (ANSIBLE_GATHERING...) wins over the file, as in Ansible.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export function findAnsibleCfg(baseDir: string, cwd: string = process.cwd()): string | undefined {
  if (process.env.ANSIBLE_CONFIG) return existsSync(process.env.ANSIBLE_CONFIG) ? resolve(process.env.ANSIBLE_CONFIG) : undefined
  return [join(cwd, 'ansible.cfg'), join(baseDir, 'ansible.cfg')].find((p) => existsSync(p))
}

/** INI sections of an ansible.cfg: `key = value` or `key: value`, `#`/`;` comment lines, ` ;` inline comments (Ansible's ConfigParser). */
export function readAnsibleCfg(file: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  let section = ''
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const sec = /^\[(.+)\]$/.exec(line)
    if (sec) {
      section = sec[1]!.trim()
      continue
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
    if (!kv) continue
    out[section] ??= {}
    out[section]![kv[1]!] = kv[2]!.replace(/\s;.*$/, '')
  }
  return out
}

/** One setting: the environment variable, else `[section] key` of the ansible.cfg found for `baseDir`. */
export function ansibleSetting(baseDir: string, envVar: string, section: string, key: string): string | undefined {
  const fromEnv = process.env[envVar]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  const file = findAnsibleCfg(baseDir)
  return file ? readAnsibleCfg(file)[section]?.[key] : undefined
}
