/**
 * ansible.cfg: which file and its values; a setting's environment variable (ANSIBLE_GATHERING...)
 * wins over the file, as in Ansible. What each setting means and its type are in settings.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The ansible.cfg in effect, in Ansible's order: $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg,
 * /etc/ansible/ansible.cfg; acplay also looks beside the playbook, after the current directory.
 */
export function findAnsibleCfg(baseDir: string, cwd: string = process.cwd(), home: string = homedir(), etc = '/etc/ansible'): string | undefined {
  if (process.env.ANSIBLE_CONFIG) return existsSync(process.env.ANSIBLE_CONFIG) ? resolve(process.env.ANSIBLE_CONFIG) : undefined
  return [join(cwd, 'ansible.cfg'), join(baseDir, 'ansible.cfg'), join(home, '.ansible.cfg'), join(etc, 'ansible.cfg')].find((p) => existsSync(p))
}

/** A value as written, and the line it is on (for errors naming file:line). */
export interface CfgEntry {
  value: string
  line: number
}

export type CfgSections = Record<string, Record<string, CfgEntry>>

// parsed once per version of a file: settings are read per host and per lookup
const parsed = new Map<string, { stamp: string; sections: CfgSections }>()

/**
 * INI sections of an ansible.cfg as Ansible's ConfigParser reads them: `key = value` or
 * `key: value`, keys case-insensitive, `#`/`;` comment lines, ` ;` inline comments.
 */
export function readAnsibleCfgEntries(file: string): CfgSections {
  const st = statSync(file)
  const stamp = `${st.mtimeMs}:${st.size}`
  const kept = parsed.get(file)
  if (kept?.stamp === stamp) return kept.sections
  const sections: CfgSections = {}
  let section = ''
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim()
      if (!line || line.startsWith('#') || line.startsWith(';')) return
      const sec = /^\[(.+)\]$/.exec(line)
      if (sec) {
        section = sec[1]!.trim()
        return
      }
      const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
      if (!kv) return
      sections[section] ??= {}
      sections[section]![kv[1]!.toLowerCase()] = { value: kv[2]!.replace(/\s;.*$/, ''), line: i + 1 }
    })
  parsed.set(file, { stamp, sections })
  return sections
}
