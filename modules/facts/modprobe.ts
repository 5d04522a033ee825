/**
 * A kernel module as Ansible's modprobe module sees it, in ONE command: loaded (/proc/modules) or
 * built in (modules.builtin), what `modprobe -n` says of loading (or `-r` unloading) it, and the
 * files of /etc/modules-load.d and /etc/modprobe.d (with the file each resolves to: edits go through
 * symbolic links, as Ansible's do).
 */
import { shScript, type Fact } from '../types.js'

export interface ConfFile {
  path: string
  /** where the path resolves to (the file an edit writes) */
  real: string
  text: string
}

export interface ModuleState {
  loaded: boolean
  /** the kernel lists its modules (/proc/modules); false: a kernel without loadable modules */
  listed: boolean
  /** `modprobe -n` (state present, not loaded) or `modprobe -n -r` (state absent, loaded) */
  dryRun?: { rc: number; output: string }
  loadFiles: ConfFile[]
  optionFiles: ConfFile[]
}

const SEP = '\u0001'
// $1 name, $2 state; the rest: the module parameters
const SCRIPT = `n=$1; state=$2; shift 2
m=$(printf '%s' "$n" | tr - _)
if [ -r /proc/modules ]; then l=listed; grep -q "^$m " /proc/modules && l=loaded; else l=unlisted; fi
b=/lib/modules/$(uname -r)/modules.builtin
[ -r "$b" ] && grep -q "/$n\\.ko\\$" "$b" && l=loaded
echo "$l"
if [ "$state" = present ] && [ "$l" != loaded ]; then o=$(modprobe -n -- "$n" "$@" 2>&1); printf 'dry %s\\n%s\\n' $? "$o"
elif [ "$state" = absent ] && [ "$l" = loaded ]; then o=$(modprobe -n -r -- "$n" 2>&1); printf 'dry %s\\n%s\\n' $? "$o"; fi
for d in /etc/modules-load.d /etc/modprobe.d; do
  for f in "$d"/*; do [ -f "$f" ] || continue; printf '${SEP}%s %s\\n' "$d" "$f"; readlink -f -- "$f"; cat -- "$f"; done
done`

export const moduleState: Fact<ModuleState, [string, string, string[]]> = {
  name: 'modprobe.state',
  key: (name) => name,
  command: (name, state, params) => shScript(SCRIPT, name, state, ...params),
  parse(out, name) {
    if (out.rc !== 0) throw new Error(`cannot read the state of module ${name}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [head = '', ...files] = out.stdout.split(SEP)
    const [l = '', ...rest] = head.replace(/\n$/, '').split('\n')
    const s: ModuleState = { loaded: l === 'loaded', listed: l !== 'unlisted', loadFiles: [], optionFiles: [] }
    const dry = /^dry (\d+)$/.exec(rest[0] ?? '')
    if (dry) s.dryRun = { rc: Number(dry[1]), output: rest.slice(1).join('\n') }
    for (const f of files) {
      const nl = f.indexOf('\n')
      const [dir = '', path = ''] = f.slice(0, nl).split(/ (.*)/)
      const rest2 = f.slice(nl + 1)
      const nl2 = rest2.indexOf('\n')
      const file = { path, real: rest2.slice(0, nl2), text: rest2.slice(nl2 + 1) }
      ;(dir === '/etc/modules-load.d' ? s.loadFiles : s.optionFiles).push(file)
    }
    return s
  },
}
