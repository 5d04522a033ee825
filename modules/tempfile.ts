/**
 * tempfile: a new temporary file or directory (mktemp: mode 0600 / 0700), its path returned. Always
 * changed; skipped in check mode as in Ansible (the name is random, so no plan can say it).
 */
import { PATH_RESULT_SH, pathResult } from './files/path-result.js'
import { defineModule, shScript, type Outcome } from './types.js'

export const tempfile = defineModule({
  name: 'tempfile',
  aliases: ['ansible.builtin.tempfile'],
  summary: 'Creates temporary files and directories',
  description:
    'Creates a file (mode 0600) or directory (mode 0700) with a random name in `path` (default $TMPDIR or /tmp) and returns its path. ' +
    'It is not removed afterwards: use the file module with state=absent. Skipped in check mode, as in Ansible.',
  params: {
    state: { type: 'str', default: 'file', choices: ['file', 'directory'], description: 'Whether to create a file or a directory.' },
    path: { type: 'path', description: 'Where to create it (default $TMPDIR, else /tmp).' },
    prefix: { type: 'str', default: 'ansible.', description: 'Prefix of the name.' },
    suffix: { type: 'str', default: '', description: 'Suffix of the name.' },
  },
  checkMode: 'none',
  converges: false,
  returns: { path: 'the path of the new file or directory', 'uid, gid, owner, group, mode, state, size': 'of the new path (Ansible adds them)' },
  examples: `
- tempfile:
    state: directory
    suffix: build
  register: build_dir
`,
  async plan(p) {
    const args = [...(p.state === 'directory' ? ['-d'] : []), ...(p.path ? [`--tmpdir=${p.path}`] : ['--tmpdir'])]
    if (p.suffix) args.push(`--suffix=${p.suffix}`)
    args.push('--', `${p.prefix}XXXXXXXX`)
    // the new path, then its result fields (Ansible adds them to every result with a path)
    const command = shScript(`p=$(mktemp "$@") || exit 1\nprintf '%s\\n' "$p"\nset -- "$p"\n${PATH_RESULT_SH}`, ...args)
    return { kind: 'change', changes: [{ summary: `create a temporary ${p.state} in ${p.path ?? '$TMPDIR or /tmp'}`, commands: [command] }] }
  },
  interpret(_p, out): Outcome {
    if (out.rc !== 0) return { failed: true, msg: out.stderr.trim() || `mktemp failed (rc ${out.rc})` }
    return { failed: false, data: { path: out.stdout.split('\n')[0], ...pathResult(out.stdout) } }
  },
})
