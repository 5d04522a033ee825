/**
 * The arguments every module that writes a file takes (Ansible's FILE_COMMON_ARGUMENTS), one
 * fragment for all of them: spread it into a spec and override a description where a module means
 * more (copy's `mode: preserve`). owner/group/mode are planned by attrs.ts. The SELinux context
 * arguments are accepted and do nothing, as Ansible does on a host without SELinux (acplay's
 * targets, Debian and Ubuntu, have none).
 */
import { notYet, type ParamDef } from '../schema.js'
import { modeCheck } from './mode.js'

export const fileCommonParams = {
  owner: { type: 'str', description: 'Owner (user name or uid).' },
  group: { type: 'str', description: 'Group (group name or gid).' },
  mode: { type: 'raw', check: modeCheck, description: 'Mode: an octal string "0644", an int (YAML 0644) or symbolic "u=rw,g=r,o=" / "a+X".' },
  seuser: { type: 'str', description: 'SELinux user of the file context (accepted; no effect on hosts without SELinux).' },
  serole: { type: 'str', description: 'SELinux role of the file context (accepted; no effect on hosts without SELinux).' },
  setype: { type: 'str', description: 'SELinux type of the file context (accepted; no effect on hosts without SELinux).' },
  selevel: { type: 'str', description: 'SELinux level of the file context (accepted; no effect on hosts without SELinux).' },
  attributes: notYet(
    { type: 'str', aliases: ['attr'] },
    'Filesystem attributes as lsattr shows them (e.g. "+i").',
    'chattr attributes are not managed by acplay (a task that sets them fails)',
  ),
  unsafe_writes: { type: 'bool', default: false, description: 'Accepted for compatibility; acplay always writes atomically (temp file, then rename).' },
} as const satisfies Record<string, ParamDef>
