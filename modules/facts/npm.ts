/**
 * npm's view of a project directory or of the global packages: `npm list --json --long` (what
 * community.general.npm reads) and `npm outdated NAME`, each one read-only round trip, run in the
 * directory (a missing directory reads as an empty project; npm itself is never asked to create it).
 */
import { shScript, type Fact } from '../types.js'

export interface NpmDep {
  /** null: installed by an earlier (unapplied) task, at a version not known before it runs */
  version?: string | null
  missing?: boolean
  invalid?: boolean
}

export interface NpmList {
  /** undefined when npm printed no dependencies at all (an empty project) */
  dependencies?: Record<string, NpmDep>
  /** check mode: an earlier `ci` replaces the whole tree; what it installs is not known here */
  unknown?: boolean
}

// $1 the directory ('' for --global); the rest: the npm command. Its exit code is not an error (missing deps).
const RUN_IN = `d=$1; shift
command -v "$1" >/dev/null 2>&1 || { echo "Failed to find required executable $1" >&2; exit 127; }
if [ -n "$d" ]; then [ -d "$d" ] || { echo '{}'; exit 0; }; cd -- "$d" || exit 1; fi
"$@" 2>/dev/null; exit 0`

export const npmList: Fact<NpmList, [string, string[]]> = {
  name: 'npm.list',
  key: (dir, argv) => JSON.stringify([dir, argv]),
  command: (dir, argv) => shScript(RUN_IN, dir, ...argv),
  parse(out, dir) {
    if (out.rc !== 0) throw new Error(out.stderr.trim() || `npm list failed in ${dir || 'the global packages'} (exit ${out.rc})`)
    try {
      const data = JSON.parse(out.stdout.trim() || '{}') as { dependencies?: Record<string, NpmDep> }
      return { dependencies: data.dependencies }
    } catch (e) {
      throw new Error(`Failed to parse NPM output with error ${(e as Error).message}`)
    }
  },
}

/** `npm outdated` lines, as community.general reads them: the package name before the first space or @. */
export const npmOutdated: Fact<string[], [string, string[]]> = {
  name: 'npm.outdated',
  key: (dir, argv) => JSON.stringify([dir, argv]),
  command: (dir, argv) => shScript(RUN_IN, dir, ...argv),
  parse(out, dir) {
    if (out.rc !== 0) throw new Error(out.stderr.trim() || `npm outdated failed in ${dir || 'the global packages'} (exit ${out.rc})`)
    if (out.stdout.trim() === '{}') return []
    // the table's header line is there only with outdated packages: it changes no decision, so it is not listed
    return out.stdout
      .split('\n')
      .filter((l) => l && !/^Package\s+Current\s/.test(l))
      .map((l) => l.split(/\s|@/, 1)[0]!)
  },
}
