/**
 * What a Python environment has installed, read from its METADATA files in one python run (~8 ms;
 * pip itself takes ~0.5 s to start), plus the marker environment for evaluating extras.
 */
import { shScript, type Fact } from '../types.js'
import type { MarkerEnv } from '../pip/markers.js'
import { normalizeName } from '../pip/requirement.js'

export interface InstalledDist {
  /** null: installed by an earlier (simulated) change whose resulting version is not known */
  version: string | null
  /** Requires-Dist lines; undefined when unknown (simulated) */
  requires?: string[]
  /**
   * Installed by the distribution into its own directory (Debian: a dist-packages under /usr, not
   * /usr/local) and read through a system interpreter, not a venv's
   */
  distro?: true
}

/**
 * absent: no such venv directory (or no such interpreter); broken: the directory has no runnable
 * bin/python; ok: the installed distributions by PEP 503 name.
 */
export type PipEnv = { status: 'absent' } | { status: 'broken'; detail: string } | { status: 'ok'; dists: Record<string, InstalledDist>; env?: MarkerEnv }

/** Where pip works: a venv directory, or an interpreter (system pip). */
export type PipTarget = { venv: string } | { python: string }

export const pipTargetKey = (t: PipTarget) => ('venv' in t ? t.venv : `python:${t.python}`)

// A venv is read with -I -S (no site.py or .pth hooks); without site.py Python does not know it is
// in a venv, so its site-packages (under argv[1]) is found by listing; a system interpreter scans
// sys.path (Debian adds dist-packages there). The METADATA headers are read directly and the JSON is
// written by hand: importlib.metadata, email, platform, json and glob cost more to import than the
// reading itself (json and glob import re: ~7 ms of a ~14 ms run), and this runs on every no-op pip task.
const PY = `import os, sys
def q(s):
    return '"' + ''.join(c if c >= ' ' and c not in '"\\\\' else '\\\\u%04x' % ord(c) for c in s) + '"'
if sys.flags.no_site:
    paths = []
    for a in sorted(os.listdir(sys.argv[1])):
        if a.startswith('lib'):
            try:
                subs = sorted(os.listdir(os.path.join(sys.argv[1], a)))
            except OSError:
                continue
            paths += [os.path.join(sys.argv[1], a, b, 'site-packages') for b in subs if b.startswith('python')]
else:
    paths = sys.path
in_venv = sys.prefix != getattr(sys, 'base_prefix', sys.prefix)
seen, dists = set(), []
for p in paths:
    if not p:
        continue
    distro = not sys.flags.no_site and not in_venv and p.startswith('/usr/') and not p.startswith('/usr/local/') and p.endswith('dist-packages')
    try:
        entries = sorted(os.listdir(p))
    except OSError:
        continue
    for e in entries:
        meta = 'METADATA' if e.endswith('.dist-info') else 'PKG-INFO' if e.endswith('.egg-info') else None
        if not meta:
            continue
        name, version, requires = None, None, []
        path = os.path.join(p, e)
        # distutils (Debian's python3-pexpect) writes the egg-info as one PKG-INFO file, not a directory
        if meta == 'PKG-INFO' and not os.path.isdir(path):
            meta = ''
        try:
            with open(os.path.join(path, meta) if meta else path, encoding='utf-8', errors='replace') as f:
                for line in f:
                    if not line.strip():
                        break
                    if line.startswith('Name:'):
                        name = line[5:].strip()
                    elif line.startswith('Version:'):
                        version = line[8:].strip()
                    elif line.startswith('Requires-Dist:'):
                        requires.append(line[14:].strip())
        except OSError:
            continue
        if name and name not in seen:
            seen.add(name)
            dists.append(q(name) + ':{"version":' + (q(version) if version is not None else 'null') + ',"requires":[' + ','.join(map(q, requires)) + ']' + (',"distro":true' if distro else '') + '}')
u = os.uname()
impl = sys.implementation.name
env = {'python_version': '%d.%d' % sys.version_info[:2], 'python_full_version': sys.version.split()[0],
       'os_name': os.name, 'sys_platform': sys.platform, 'platform_system': u.sysname,
       'platform_machine': u.machine, 'platform_release': u.release,
       'platform_python_implementation': {'cpython': 'CPython', 'pypy': 'PyPy'}.get(impl, impl),
       'implementation_name': impl}
print('{"dists":{' + ','.join(dists) + '},"env":{' + ','.join(q(k) + ':' + q(v) for k, v in env.items()) + '}}')`

// $1 = kind (venv|python), $2 = the venv dir or interpreter; values are positional, never spliced.
const SCRIPT = `if [ "$1" = venv ]; then
  [ -e "$2" ] || { echo ACPLAY_ABSENT; exit 0; }
  [ -d "$2" ] || { echo "ACPLAY_BROKEN $2 is not a directory"; exit 0; }
  [ -x "$2/bin/python" ] || { echo "ACPLAY_BROKEN $2 has no bin/python"; exit 0; }
  py="$2/bin/python"; flags="-I -S"
else
  command -v -- "$2" >/dev/null 2>&1 || { echo ACPLAY_ABSENT; exit 0; }
  py=$2; flags=
fi
out=$("$py" $flags -c "$3" "$2" 2>&1) || { echo "ACPLAY_BROKEN $py does not run: $(printf '%s' "$out" | tail -n 1)"; exit 0; }
printf '%s\\n' "$out"`

/** Parses the script's output (pure). */
export function parsePipEnv(stdout: string): PipEnv {
  const text = stdout.trim()
  if (text === 'ACPLAY_ABSENT') return { status: 'absent' }
  if (text.startsWith('ACPLAY_BROKEN ')) return { status: 'broken', detail: text.slice('ACPLAY_BROKEN '.length) }
  const raw = JSON.parse(text.split('\n').pop()!) as { dists: Record<string, { version: string; requires: string[]; distro?: true }>; env: MarkerEnv }
  const dists: Record<string, InstalledDist> = {}
  for (const [name, d] of Object.entries(raw.dists)) {
    const key = normalizeName(name)
    if (!dists[key]) dists[key] = { version: d.version, requires: d.requires, ...(d.distro ? { distro: true as const } : {}) }
  }
  return { status: 'ok', dists, env: raw.env }
}

export const pipInstalled: Fact<PipEnv, [PipTarget]> = {
  name: 'pip.installed',
  key: pipTargetKey,
  command: (t) => shScript(SCRIPT, 'venv' in t ? 'venv' : 'python', 'venv' in t ? t.venv : t.python, PY),
  parse(out, t) {
    if (out.rc !== 0) throw new Error(`cannot read installed packages of ${pipTargetKey(t)}: ${out.stderr.trim()}`)
    return parsePipEnv(out.stdout)
  },
}

export interface WouldInstall {
  name: string
  version: string
}

/**
 * What `pip install --dry-run --report -` would install (pip's own resolver against the index):
 * used for `state: latest` and requirements files. argv = the pip command line without the flags.
 */
export const pipDryRun: Fact<WouldInstall[], [string[], string | undefined]> = {
  name: 'pip.dry_run',
  key: (argv, chdir) => JSON.stringify([argv, chdir ?? null]),
  command: (argv, chdir) => ({
    argv: [...(chdir ? ['env', '-C', chdir] : []), ...argv, '--dry-run', '--quiet', '--disable-pip-version-check', '--no-input', '--report', '-'],
  }),
  parse(out) {
    if (out.rc !== 0) throw new Error(`pip could not resolve the requirements: ${(out.stderr.trim() || out.stdout.trim()).split('\n').slice(-5).join('\n')}`)
    return parseDryRunReport(out.stdout)
  },
}

/** The JSON installation report (pip >= 22.2) -> [{name, version}] (pure). */
export function parseDryRunReport(stdout: string): WouldInstall[] {
  const start = stdout.indexOf('{')
  if (start < 0) throw new Error(`pip printed no installation report: ${stdout.trim().slice(0, 200)}`)
  const report = JSON.parse(stdout.slice(start)) as { install?: { metadata: { name: string; version: string } }[] }
  return (report.install ?? []).map((i) => ({ name: normalizeName(i.metadata.name), version: i.metadata.version }))
}
