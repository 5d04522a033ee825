/**
 * git_config (community.general.git_config): read, set or unset one git setting, or list them all,
 * as Ansible's module does it with `git config --includes` (scope system unless named; local needs
 * `repo`, file needs `file`; run from / so no repository's settings leak in, or from `repo`).
 * Effects: git.config key=<dir> <scope args> <name> -> the read git config would then give.
 */
import { ModuleFailure } from '../engine/errors.js'
import { defineModule, type Command, type Fact, type Plan } from './types.js'

interface GitConfigRead {
  rc: number
  out: string
  err: string
}

/** `git config` in `dir` with C messages (Ansible matches git's English). */
function gitConfig(dir: string, args: string[]): Command {
  return { argv: ['sh', '-c', 'cd -- "$1" && shift && exec env LANG=C LC_ALL=C LC_MESSAGES=C git config --includes "$@"', 'sh', dir, ...args] }
}

/** A read of git config (a value, or the whole list): its exit code and output, judged by the module. */
export const gitConfigRead: Fact<GitConfigRead, [string, string[]]> = {
  name: 'git.config',
  key: (dir, args) => `${dir} ${args.join(' ')}`,
  command: (dir, args) => gitConfig(dir, args),
  parse: (out) => ({ rc: out.rc, out: out.stdout, err: out.stderr }),
}

export const gitConfigModule = defineModule({
  name: 'git_config',
  aliases: ['community.general.git_config'],
  summary: 'Read, set or unset git configuration settings',
  description:
    'Without `value` (and state=present) the setting is read and returned as config_value; list_all returns every setting. ' +
    "scope defaults to system (/etc/gitconfig); global is the (become) user's ~/.gitconfig.",
  params: {
    list_all: { type: 'bool', default: false, description: 'List all settings (optionally of one scope) as config_values.' },
    name: { type: 'str', description: 'The setting (section.key).' },
    repo: { type: 'path', description: 'The repository, for scope local (and for list_all).' },
    file: { type: 'path', description: 'The config file, for scope file.' },
    scope: { type: 'str', choices: ['file', 'local', 'global', 'system'], description: 'Which configuration; default system.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'absent unsets the setting.' },
    value: { type: 'str', description: 'The value to set; omitted: the setting is read.' },
  },
  mutuallyExclusive: [
    ['list_all', 'name'],
    ['list_all', 'value'],
  ],
  requiredIf: [
    ['scope', 'local', ['repo']],
    ['scope', 'file', ['file']],
  ],
  requiredOneOf: [['list_all', 'name']],
  returns: {
    config_value: 'the value read (no value given)',
    config_values: 'every setting (list_all)',
    msg: "'setting changed', 'no setting to unset' or ''",
  },
  examples: `
- community.general.git_config:
    name: user.email
    scope: global
    value: deploy@example.com
- community.general.git_config:
    name: safe.directory
    scope: system
    value: /srv/app
`,
  async plan(p, ctx): Promise<Plan> {
    const scope = p.scope ?? (p.list_all ? undefined : 'system')
    const unset = p.state === 'absent'
    const newValue = unset ? undefined : p.value || undefined
    const args = [...(p.list_all ? ['-l'] : []), ...(scope === 'file' ? ['-f', p.file!] : scope ? [`--${scope}`] : []), ...(p.name ? [p.name] : [])]
    const dir = scope === 'local' || (p.list_all && p.repo) ? p.repo! : '/'
    const read = await ctx.fact(gitConfigRead, dir, args)
    const current = read.out.replace(/\s+$/, '')
    if (p.list_all) {
      if (scope && read.rc === 128 && read.err.includes('unable to read config file'))
        return { kind: 'ok', reason: 'no settings', data: { msg: '', config_values: {} } }
      if (read.rc >= 2) throw new ModuleFailure(read.err, { rc: read.rc })
      const values = Object.fromEntries(
        current
          .split(/\r?\n/)
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
      return { kind: 'ok', reason: `${Object.keys(values).length} settings`, data: { msg: '', config_values: values } }
    }
    if (read.rc >= 2) throw new ModuleFailure(read.err, { rc: read.rc })
    if (!newValue && !unset) return { kind: 'ok', reason: `${p.name} is ${JSON.stringify(current)}`, data: { msg: '', config_value: current } }
    if (unset && !current) return { kind: 'ok', reason: `${p.name} is not set`, data: { msg: 'no setting to unset' } }
    if (current === newValue) return { kind: 'ok', reason: `${p.name} is ${JSON.stringify(current)}`, data: { msg: '' } }
    const write = unset ? [...args.slice(0, -1), '--unset', p.name!] : [...args, newValue!]
    // git writes nothing on stderr when it succeeds; anything there fails the task, as in Ansible
    const failOnStderr = 'out=$("$@" 2>&1 >/dev/null); rc=$?; [ -z "$out" ] || { printf "%s\\n" "$out" >&2; exit $(( rc ? rc : 1 )); }; exit $rc'
    const header = `git config --includes ${args.join(' ')}`
    return {
      kind: 'change',
      changes: [
        {
          summary: unset ? `unset ${p.name} (${scope})` : `${p.name} = ${newValue} (${scope})`,
          commands: [{ argv: ['sh', '-c', failOnStderr, 'sh', ...gitConfig(dir, write).argv] }],
          diff: { path: header, before: `${current}\n`, after: `${newValue ?? ''}\n` },
          effects: [
            {
              fact: gitConfigRead.name,
              key: gitConfigRead.key!(dir, args),
              value: (newValue ? { rc: 0, out: `${newValue}\n`, err: '' } : { rc: 1, out: '', err: '' }) satisfies GitConfigRead,
            },
          ],
        },
      ],
      data: { msg: 'setting changed' },
    }
  },
})
