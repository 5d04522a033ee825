/**
 * dpkg_divert (community.general.dpkg_divert): a dpkg diversion, with Ansible's rules and results.
 * One read (facts/dpkg-divert.ts) gives the diversion there and what `dpkg-divert --test` says of
 * the wanted command; from it the plan is what Ansible's module ends up doing:
 * - the diversion is as wanted: ok, the test's message ("Leaving ...", "No diversion ...");
 * - the test passes: the command runs (`--rename` moves the file when asked);
 * - adding or removing fails the test with rename on and the file to move onto there: without force
 *   Ansible's "Set 'force' ..." failure, with force that file is removed first, then the command;
 * - another holder or divert name: the diversion is removed and added again (no rename), then the
 *   diverted file follows the new name when nothing is in the way (errors there are not fatal).
 * Result: changed, diversion (read again after the run: a diversion not as wanted fails as Ansible's
 * "Unexpected error"), commands (as Ansible prints them), messages (dpkg-divert's), diff.
 */
import { shellJoin } from '../engine/connection/quote.js'
import { ModuleFailure } from '../engine/errors.js'
import { divertState, NO_RENAME, type Run } from './facts/dpkg-divert.js'
import { defineModule, shScript, type Applied, type Command, type Plan, type Unknowable } from './types.js'

interface Diversion {
  divert: string | null
  holder: string | null
  path: string
  state: 'present' | 'absent'
}

// between the outputs of two dpkg-divert commands in the applied script
const SEP = '\u0001'
const sepCommand: Command = { argv: ['printf', '\\001'] }
// the diversion once the commands ran: holder, then true name
const READ_AGAIN = `printf '\\001'; "$1" --listpackage "$2"; printf '\\001'; "$1" --truename "$2"`
// after re-adding under another name: the diverted file follows unless something is in the way
const FOLLOW = `[ -e "$1" ] && [ ! -e "$2" ] && mv -f -- "$1" "$2" 2>/dev/null; true`

const rstrip = (s: string) => s.replace(/\s+$/, '')
const same = (a: Diversion, b: Diversion) => a.divert === b.divert && a.holder === b.holder && a.path === b.path && a.state === b.state
const diversionOf = (path: string, holder: string, truename: string): Diversion =>
  holder ? { divert: rstrip(truename), holder: rstrip(holder), path, state: 'present' } : { divert: null, holder: null, path, state: 'absent' }
const wantedOf = (p: { path: string; state: string; holder?: string; divert?: string }): Diversion =>
  p.state === 'present'
    ? { divert: p.divert ?? `${p.path}.distrib`, holder: p.holder && p.holder !== 'LOCAL' ? p.holder : 'LOCAL', path: p.path, state: 'present' }
    : { divert: null, holder: null, path: p.path, state: 'absent' }
const json = (d: Diversion) => `${JSON.stringify(d, null, 4)}\n`

/** Ansible's fail_json for a dpkg-divert run that failed. */
function runFailure(msg: string, cmd: string, r: Run, diversion: Diversion): ModuleFailure {
  const stdout_lines = r.stdout === '' ? [] : r.stdout.replace(/\n$/, '').split('\n')
  const stderr_lines = r.stderr === '' ? [] : r.stderr.replace(/\n$/, '').split('\n')
  return new ModuleFailure(msg, { changed: false, cmd, rc: r.rc, stdout: r.stdout, stderr: r.stderr, stdout_lines, stderr_lines, diversion })
}

export const dpkgDivert = defineModule({
  name: 'dpkg_divert',
  aliases: ['community.general.dpkg_divert'],
  summary: 'Override a Debian package file with a local one (dpkg-divert)',
  description:
    'Adds (present) or removes (absent) a dpkg diversion of `path` to `divert` (default `PATH.distrib`), held by `holder` ' +
    '(a package, default LOCAL). rename moves the file along (force: over a file in the way). Another holder or divert ' +
    'name replaces the diversion. Check mode asks `dpkg-divert --test`.',
  params: {
    path: { type: 'path', required: true, description: 'The file to divert or undivert.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the diversion is there.' },
    holder: { type: 'str', description: 'The package holding the diversion (default LOCAL, a local diversion).' },
    divert: { type: 'path', description: 'Where the package installs the file instead (default PATH.distrib).' },
    rename: { type: 'bool', default: false, description: 'Move the file to its diverted name (and back on removal).' },
    force: { type: 'bool', default: false, description: 'With rename: remove a file in the way first.' },
  },
  returns: {
    diversion: 'the diversion after the task: path, state, holder, divert',
    commands: 'the dpkg-divert commands, as Ansible prints them',
    messages: "dpkg-divert's messages",
  },
  examples: `
- community.general.dpkg_divert:
    path: /etc/foobarrc
    divert: /etc/foobarrc.distrib
    rename: true
`,
  async plan(p, ctx): Promise<Plan> {
    const present = p.state === 'present'
    const target = present ? (p.divert ?? `${p.path}.distrib`) : ''
    const holderArgs = p.holder && p.holder !== 'LOCAL' ? ['--package', p.holder] : ['--local']
    const opArgs = present ? [...holderArgs, ...(p.divert ? ['--divert', p.divert] : []), '--add', p.path] : ['--remove', p.path]
    const s = await ctx.fact(divertState, p.path, target, [p.rename ? '--rename' : NO_RENAME, ...opArgs])
    if (!s.found) throw new ModuleFailure(`Failed to find required executable "dpkg-divert" in paths: ${s.searched}`)
    if (s.tooOld) throw new ModuleFailure('Unsupported dpkg version (<1.15.0).')
    const nr = s.noRename ? ['--no-rename'] : []
    if (s.listpackage.rc !== 0) {
      throw new ModuleFailure(rstrip(s.listpackage.stderr), {
        cmd: shellJoin([s.bin, '--listpackage', p.path]),
        rc: s.listpackage.rc,
        stdout: s.listpackage.stdout,
        stderr: s.listpackage.stderr,
      })
    }
    const before = diversionOf(p.path, s.listpackage.stdout, s.truename?.stdout ?? '')
    const wanted = wantedOf(p)
    const main = [s.bin, ...(p.rename ? ['--rename'] : nr), ...opArgs]
    const mainText = main.join(' ')
    const diff = ctx.diff ? { before, after: wanted } : {}
    const unknowns: Unknowable[] = [p.path, target, before.divert].filter((x): x is string => !!x).map((x) => ({ under: x, self: true }))
    const change = (summary: string, commands: Command[], commandTexts: string[], messages: string[]): Plan => ({
      kind: 'change',
      changes: [
        {
          summary,
          commands: [...commands, shScript(READ_AGAIN, s.bin, p.path)],
          diff: { path: '', before: json(before), after: json(wanted) },
          unknowns,
        },
      ],
      data: { diversion: wanted, commands: commandTexts, messages, diff },
    })

    if (s.test.rc === 0) {
      if (same(before, wanted)) {
        const reason = present ? `${p.path} diverted to ${target} by ${wanted.holder}` : `${p.path} not diverted`
        return { kind: 'ok', reason, data: { diversion: before, commands: [mainText], messages: [rstrip(s.test.stdout)], diff } }
      }
      const summary = present ? `divert ${p.path} to ${target} (${wanted.holder})` : `remove the diversion of ${p.path}`
      return change(summary, [{ argv: main }], [mainText], [rstrip(s.test.stdout)])
    }
    if (p.state !== before.state) {
      const inTheWay = present ? s.targetExists : s.truenameExists
      if (!(p.rename && s.pathExists && inTheWay)) throw runFailure('Unexpected error while changing state of the diversion.', mainText, s.test, before)
      if (!p.force) throw runFailure("Set 'force' param to True to force renaming of files.", mainText, s.test, before)
      const remove = present ? target : p.path
      const summary = present
        ? `divert ${p.path} to ${target} (${wanted.holder}), replacing ${remove}`
        : `remove the diversion of ${p.path}, replacing ${remove}`
      return change(summary, [{ argv: ['rm', '--', remove] }, { argv: main }], [mainText], [rstrip(s.test.stdout)])
    }
    // another holder or divert name: dpkg-divert cannot change one, Ansible removes it and adds it again
    const rm = s.removeTest ?? { rc: 1, stdout: '', stderr: '' }
    const removeArgv = [s.bin, ...nr, '--remove', p.path]
    if (rm.rc !== 0)
      throw new ModuleFailure(rstrip(rm.stderr), {
        cmd: shellJoin([s.bin, '--test', ...nr, '--remove', p.path]),
        rc: rm.rc,
        stdout: rm.stdout,
        stderr: rm.stderr,
      })
    const add = [s.bin, ...nr, ...opArgs]
    const commands: Command[] = [{ argv: removeArgv }, sepCommand, { argv: add }]
    if (before.divert && wanted.divert && before.divert !== wanted.divert) commands.push(shScript(FOLLOW, before.divert, wanted.divert))
    const summary = `divert ${p.path} to ${target} (${wanted.holder}) instead of ${before.divert} (${before.holder})`
    const messages = [rstrip(rm.stdout), 'Running in check mode']
    return change(summary, commands, [removeArgv.join(' '), add.join(' ')], messages)
  },
  interpret(p, out: Applied) {
    if (out.rc !== 0) return undefined
    // the outputs of the dpkg-divert commands (removal and addition when replaced), then the read again
    const parts = out.stdout.split(SEP)
    const [holder = '', truename = ''] = parts.slice(-2)
    const after = diversionOf(p.path, holder, truename)
    const messages = parts.slice(0, -2).map(rstrip)
    if (same(after, wantedOf(p))) return { failed: false, data: { diversion: after, messages } }
    const lines = (x: string) => (x === '' ? [] : x.replace(/\n$/, '').split('\n'))
    const data = {
      changed: true,
      rc: out.rc,
      stdout: out.stdout,
      stderr: out.stderr,
      stdout_lines: lines(out.stdout),
      stderr_lines: lines(out.stderr),
      diversion: after,
    }
    return { failed: true, msg: 'Unexpected error: see stdout and stderr for details.', data }
  },
})
