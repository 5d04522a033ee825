/**
 * script: a script from the controller (the role's or playbook's files/, found as copy finds src;
 * an Ansible Vault file decrypted) sent to the host and run there with its arguments, as Ansible's
 * script: `creates`/`removes` checked first (the task is then skipped), `chdir`, `executable`
 * ("python3": run as `python3 SCRIPT ARGS`). The arguments are the user's command line, read by
 * /bin/sh on the host as Ansible does. The script goes to a private directory under
 * ~/.ansible/tmp (not /tmp, which may be noexec) and is removed after it ran. Always changed when it
 * runs; a non-zero exit code fails the task.
 */
import { basename } from 'node:path'
import { readFileSync } from 'node:fs'
import { firstWord } from '../engine/connection/shlex.js'
import { ModuleFailure } from '../engine/errors.js'
import { programUnknowns } from '../engine/unknown.js'
import { interpretRaw, rawReturns } from './command/exec-plan.js'
import { pathStat } from './facts/path.js'
import { vaultPlaintext } from './files/local-file.js'
import { defineModule, type Plan } from './types.js'

// $1 the script's name, $2 executable, $3 chdir, $4 the arguments as written; the script on stdin (base64)
const RUN_SCRIPT = `d=\${HOME:-/tmp}/.ansible/tmp
mkdir -p -- "$d" && d=$(mktemp -d -- "$d/acplay-script.XXXXXX") || exit 1
trap 'rm -rf -- "$d"' EXIT
ACPLAY_SCRIPT=$d/$1
base64 -d > "$ACPLAY_SCRIPT" && chmod 0700 -- "$ACPLAY_SCRIPT" || exit 1
if [ -n "$3" ]; then cd -- "$3" || exit 1; fi
if [ -n "$2" ]; then eval "$2 \\"\\$ACPLAY_SCRIPT\\"$4" </dev/null; else eval "\\"\\$ACPLAY_SCRIPT\\"$4" </dev/null; fi`

export const script = defineModule({
  name: 'script',
  summary: 'Send a local script to the host and run it there',
  description:
    '`cmd` is "PATH ARGS...": PATH is looked up like copy\'s src (files/ of the role, then of the playbook); the ARGS are read by /bin/sh ' +
    'on the host. Skipped when `creates` exists or `removes` does not. Always changed when it runs; a non-zero exit code fails the task.',
  params: {
    cmd: { type: 'str', required: true, description: 'the script and its arguments (the free-form task text arrives here)' },
    chdir: { type: 'str', description: 'run the script in this directory (absolute)' },
    creates: { type: 'str', description: 'a host path; if it exists, the script does not run (the task is skipped)' },
    removes: { type: 'str', description: 'a host path; if it does not exist, the script does not run (the task is skipped)' },
    executable: { type: 'str', description: 'run the script with this program ("python3", "/bin/bash") instead of executing it' },
    decrypt: { type: 'bool', default: true, description: 'decrypt an Ansible Vault script on the controller' },
  },
  checkMode: 'skip',
  converges: false,
  returns: rawReturns,
  examples: `
- name: The vendor's installer, once
  script: install-agent.sh --site eu-1
  args:
    creates: /opt/agent/bin/agent
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.creates !== undefined && (await ctx.fact(pathStat, p.creates)).exists) {
      return { kind: 'ok', skipped: true, reason: `${p.creates} exists`, data: { changed: false, msg: `${p.creates} exists, matching creates option` } }
    }
    if (p.removes !== undefined && !(await ctx.fact(pathStat, p.removes)).exists) {
      return {
        kind: 'ok',
        skipped: true,
        reason: `${p.removes} does not exist`,
        data: { changed: false, msg: `${p.removes} does not exist, matching removes option` },
      }
    }
    if (p.chdir !== undefined && !p.chdir.startsWith('/')) throw new ModuleFailure(`chdir ${p.chdir} must be an absolute path for a Unix-aware remote node`)
    let first: ReturnType<typeof firstWord>
    try {
      first = firstWord(p.cmd.trim())
    } catch (e) {
      throw new ModuleFailure(`cannot read the script's command line: ${(e as Error).message}`)
    }
    if (!first) throw new ModuleFailure('no script given (cmd is empty)')
    const local = ctx.findFile(first.word, 'files')
    let content: Buffer
    try {
      content = (p.decrypt ? vaultPlaintext(local) : undefined) ?? readFileSync(local)
    } catch (e) {
      throw new ModuleFailure(`could not read the script ${local}: ${(e as Error).message}`)
    }
    const args = [basename(local), p.executable ?? '', p.chdir ?? '', first.rest]
    return {
      kind: 'change',
      changes: [
        {
          summary: `run ${p.cmd.trim()}`,
          commands: [{ argv: ['sh', '-c', RUN_SCRIPT, 'sh', ...args], stdin: content.toString('base64') }],
          unknowns: programUnknowns({ creates: p.creates, chdir: p.chdir }),
        },
      ],
    }
  },
  interpret: (_p, out) => interpretRaw(out),
})
