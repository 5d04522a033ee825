/**
 * A dpkg diversion as Ansible's dpkg_divert module reads it, in ONE command: dpkg-divert's path and
 * version (whether it takes --no-rename), the diversion's holder (--listpackage) and true name,
 * which of the path, the diverted file and the wanted target exist, and what `dpkg-divert --test`
 * says of the wanted command (and, for a diversion that is there, of removing it). --test changes
 * nothing: it is how Ansible itself asks, and its output is the module's `messages`.
 */
import type { ExecResult } from '../../engine/connection/types.js'
import { shScript, type Fact } from '../types.js'

/** In the args of the tested command: --no-rename where this dpkg-divert takes it (1.19.1 and later), else nothing. */
export const NO_RENAME = '@NR'

export interface Run {
  rc: number
  stdout: string
  stderr: string
}

export type DivertState =
  | { found: false; searched: string }
  | {
      found: true
      /** dpkg-divert's absolute path */
      bin: string
      version: string
      /** older than 1.15.0 (no --listpackage) */
      tooOld: boolean
      noRename: boolean
      listpackage: Run
      /** --truename, when the path is diverted */
      truename?: Run
      pathExists: boolean
      truenameExists: boolean
      targetExists: boolean
      test: Run
      /** `--test --remove` of the diversion there */
      removeTest?: Run
    }

// $1 path, $2 the wanted target ('' for state=absent); the rest: the args of the tested command
const SCRIPT = `p=$1 t=$2; shift 2
b=$(command -v dpkg-divert) || { printf 'nobin\\n%s\\n' "$PATH"; exit 0; }
n=$("$b" --version 2>/dev/null | head -n 1 | tr ' ' '\\n' | grep -m 1 '^[0-9][0-9]*\\.[0-9]')
nr=0 old=0
dpkg --compare-versions "$n" ge 1.19.1 2>/dev/null && nr=1
dpkg --compare-versions "$n" lt 1.15.0 2>/dev/null && old=1
for a do shift; if [ "$a" = ${NO_RENAME} ]; then [ $nr = 1 ] && set -- "$@" --no-rename; else set -- "$@" "$a"; fi; done
printf 'bin\\n%s\\n\\001version\\n%s\\n\\001flags\\n%s %s\\n' "$b" "$n" $nr $old
[ $old = 1 ] && exit 0
mark() { printf '\\001%s\\n' "$1"; printf '\\001%s\\n' "$1" >&2; }
mark lp; h=$("$b" --listpackage "$p"); r=$?; printf '%s\\001lp.rc\\n%s\\n' "$h" $r
[ $r = 0 ] || exit 0
dx=0
if [ -n "$h" ]; then mark tn; d=$("$b" --truename "$p"); r=$?; printf '%s\\001tn.rc\\n%s\\n' "$d" $r; [ -e "$d" ] && dx=1; fi
px=0 tx=0
[ -e "$p" ] && px=1
[ -n "$t" ] && [ -e "$t" ] && tx=1
printf '\\001exists\\n%s %s %s\\n' $px $dx $tx
mark test; "$b" --test "$@"; printf '\\001test.rc\\n%s\\n' $?
if [ -n "$h" ]; then
  mark rm; if [ $nr = 1 ]; then "$b" --test --no-rename --remove "$p"; else "$b" --test --remove "$p"; fi; printf '\\001rm.rc\\n%s\\n' $?
fi`

/** The sections of one stream: `\x01NAME\n` then its text, up to the next mark. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>()
  const parts = text.split('\u0001')
  parts.forEach((part, i) => {
    const nl = part.indexOf('\n')
    if (i === 0 && !part.startsWith('bin\n') && !part.startsWith('nobin\n')) return
    out.set(nl < 0 ? part : part.slice(0, nl), nl < 0 ? '' : part.slice(nl + 1))
  })
  return out
}

export function parseDivertState(out: ExecResult): DivertState {
  if (out.rc !== 0) throw new Error(`cannot read the diversion: ${out.stderr.trim() || `exit ${out.rc}`}`)
  const so = sections(out.stdout)
  const se = sections(out.stderr)
  if (so.has('nobin')) return { found: false, searched: (so.get('nobin') ?? '').trim() }
  const line = (k: string) => (so.get(k) ?? '').replace(/\n$/, '')
  const run = (k: string): Run | undefined =>
    so.has(`${k}.rc`) ? { rc: Number(line(`${k}.rc`)), stdout: so.get(k) ?? '', stderr: se.get(k) ?? '' } : undefined
  const [nr, old] = line('flags').split(' ')
  const [px, dx, tx] = line('exists').split(' ')
  return {
    found: true,
    bin: line('bin'),
    version: line('version'),
    tooOld: old === '1',
    noRename: nr === '1',
    listpackage: run('lp') ?? { rc: 0, stdout: '', stderr: '' },
    truename: run('tn'),
    pathExists: px === '1',
    truenameExists: dx === '1',
    targetExists: tx === '1',
    test: run('test') ?? { rc: 0, stdout: '', stderr: '' },
    removeTest: run('rm'),
  }
}

export const divertState: Fact<DivertState, [string, string, string[]]> = {
  name: 'dpkg_divert.state',
  command: (path, target, args) => shScript(SCRIPT, path, target, ...args),
  parse: (out) => parseDivertState(out),
}
