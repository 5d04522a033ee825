/**
 * The variables Ansible adds while rendering a template file (template module, template lookup):
 * generate_ansible_template_vars in ansible/template/__init__.py. `ansible_managed` is the
 * ansible.cfg `[defaults] ansible_managed` string (default "Ansible managed") with `{host}`,
 * `{uid}`, `{file}` filled in and strftime applied with the template's mtime; it exists only here,
 * as in Ansible (a plain task sees it undefined).
 */
import { readFileSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import { SETTINGS, setting, sourceFor } from '../config/settings.js'
import { epochToDatetime, PyDatetime, strftime } from './filters-time.js'

export const DEFAULT_MANAGED_STR = SETTINGS.DEFAULT_MANAGED_STR.default

const userNames = new Map<number, string>()

/** The owner's user name (pwd.getpwuid), else the uid as text; read once per uid (every template task asks). */
function userName(uid: number): string {
  let name = userNames.get(uid)
  if (name === undefined) {
    name = passwdName(uid)
    userNames.set(uid, name)
  }
  return name
}

function passwdName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':')
      if (f[2] === String(uid) && f[0]) return f[0]
    }
  } catch {
    // no passwd file: the uid as text, as Ansible does when the uid has no name
  }
  return String(uid)
}

/** Python's str.format with named fields only ({{ and }} are literal braces); unknown fields stay as written. */
function formatNamed(s: string, fields: Record<string, string>): string {
  return s.replace(/\{\{|\}\}|\{(\w+)\}/g, (m, k: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : (fields[k!] ?? m)))
}

/**
 * template_host, template_path (as written), template_fullpath, template_uid, template_mtime,
 * template_run_date, template_destpath and ansible_managed, for the template at `fullpath`.
 * `baseDir` finds the ansible.cfg (the playbook's dir).
 */
export function templateFileVars(path: string, fullpath: string, destPath: string | undefined, baseDir: string): Record<string, unknown> {
  const st = statSync(fullpath)
  const mtime = st.mtimeMs / 1000
  const host = hostname()
  const uid = userName(st.uid)
  const managed = setting('DEFAULT_MANAGED_STR', sourceFor(baseDir))!
  const nowLocal = epochToDatetime(Date.now() / 1000, false)
  return {
    template_host: host,
    template_path: path,
    template_mtime: epochToDatetime(mtime, false),
    template_uid: uid,
    template_run_date: new PyDatetime(nowLocal.us),
    template_destpath: destPath ?? null,
    template_fullpath: fullpath,
    ansible_managed: strftime(formatNamed(managed, { host, uid, file: path }), epochToDatetime(mtime, false).fields),
  }
}
