/** A Python virtual environment at a path: is it there, is it a venv, does its python run. */
import { shScript, type Fact } from '../types.js'

export interface VenvInfo {
  exists: boolean
  /** a directory with pyvenv.cfg and a runnable bin/python */
  isVenv: boolean
  /** why an existing path is not a usable venv ("no pyvenv.cfg", "bin/python does not run: ...") */
  problem?: string
  /** x.y.z of bin/python; undefined when unknown (simulated) */
  python?: string
  systemSitePackages?: boolean
  /** pyvenv.cfg `home` (the base interpreter's directory) */
  home?: string
  owner?: string
  /** an existing, empty directory (a venv may be created in it) */
  empty?: boolean
}

// One round trip; the path is a positional argument, never spliced into the script.
const SCRIPT = `p=$1
if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi
if [ ! -d "$p" ]; then echo notdir; exit 0; fi
echo "owner $(stat -c %U -- "$p")"
if [ -z "$(ls -A -- "$p")" ]; then echo empty; exit 0; fi
if [ -f "$p/pyvenv.cfg" ]; then sed 's/^/cfg /' "$p/pyvenv.cfg"; fi
if v=$("$p/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>&1); then echo "python $v"
else echo "pythonerr $(printf '%s' "$v" | tail -n 1)"; fi`

/** Parses the script's output (pure). */
export function parseVenvInfo(stdout: string): VenvInfo {
  const lines = stdout.split('\n').filter(Boolean)
  if (lines[0] === 'absent') return { exists: false, isVenv: false }
  if (lines[0] === 'notdir') return { exists: true, isVenv: false, problem: 'it is not a directory' }
  const info: VenvInfo = { exists: true, isVenv: false }
  if (lines.includes('empty')) return { ...info, owner: lines[0]?.replace(/^owner /, ''), empty: true, problem: 'it is an empty directory' }
  const cfg: Record<string, string> = {}
  let pyErr: string | undefined
  for (const l of lines) {
    const sp = l.indexOf(' ')
    const [tag, rest] = sp < 0 ? [l, ''] : [l.slice(0, sp), l.slice(sp + 1)]
    if (tag === 'owner') info.owner = rest
    else if (tag === 'python') info.python = rest.trim()
    else if (tag === 'pythonerr') pyErr = rest.trim()
    else if (tag === 'cfg') {
      const eq = rest.indexOf('=')
      if (eq > 0) cfg[rest.slice(0, eq).trim().toLowerCase()] = rest.slice(eq + 1).trim()
    }
  }
  const hasCfg = Object.keys(cfg).length > 0 || lines.some((l) => l === 'cfg' || l.startsWith('cfg '))
  if (!hasCfg) info.problem = 'it has no pyvenv.cfg (not a virtualenv)'
  else if (!info.python) info.problem = `its bin/python does not run (${pyErr || 'no output'})`
  else info.isVenv = true
  if (hasCfg) {
    info.systemSitePackages = cfg['include-system-site-packages']?.toLowerCase() === 'true'
    info.home = cfg.home
  }
  return info
}

export const venvInfo: Fact<VenvInfo, [string]> = {
  name: 'venv.info',
  key: (path) => path,
  command: (path) => shScript(SCRIPT, path),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot inspect ${path}: ${out.stderr.trim()}`)
    return parseVenvInfo(out.stdout)
  },
}
