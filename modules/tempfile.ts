/**
 * tempfile: a new temporary file or directory (mktemp: mode 0600 / 0700), its path returned. Always
 * changed; skipped in check mode as in Ansible (the name is random, so no plan can say it).
 */
import { defineModule, type Outcome } from './types.js'

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
  returns: { path: 'the path of the new file or directory' },
  examples: `
- tempfile:
    state: directory
    suffix: build
  register: build_dir
`,
  async plan(p) {
    const argv = ['mktemp', ...(p.state === 'directory' ? ['-d'] : []), ...(p.path ? [`--tmpdir=${p.path}`] : ['--tmpdir'])]
    if (p.suffix) argv.push(`--suffix=${p.suffix}`)
    argv.push('--', `${p.prefix}XXXXXXXX`)
    return { kind: 'change', changes: [{ summary: `create a temporary ${p.state} in ${p.path ?? '$TMPDIR or /tmp'}`, commands: [{ argv }] }] }
  },
  interpret(_p, out): Outcome {
    if (out.rc !== 0) return { failed: true, msg: out.stderr.trim() || `mktemp failed (rc ${out.rc})` }
    return { failed: false, data: { path: out.stdout.trim() } }
  },
})
