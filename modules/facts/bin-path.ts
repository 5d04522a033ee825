/**
 * Where Ansible's get_bin_path finds a program on the host: the first executable file of that name
 * in PATH, then in the sbin directories PATH lacks. Missing: the search path, for Ansible's message.
 * The one home of that rule: the binPath fact, and FIND_BIN_SH for a module's own script that finds
 * its programs in the same round trip as it uses them (capabilities, iptables, make, patch, sudoers).
 */
import { shScript, type Fact } from '../types.js'

/**
 * Shell lines that set $binpath to where Ansible's get_bin_path looks for a program: PATH, then the
 * sbin directories PATH lacks (the search path Ansible's "Failed to find required executable" names).
 */
const BIN_PATH_SH = `binpath=$PATH
for bindir in /sbin /usr/sbin /usr/local/sbin; do
  case ":$binpath:" in *":$bindir:"*) ;; *) [ -e "$bindir" ] && binpath=$binpath:$bindir ;; esac
done`

export type BinPath = { found: string } | { missing: string }

/**
 * Shell lines defining `find_bin NAME`: sets $bin to the program's path and returns 0, or returns 1
 * (with $binpath the directories searched, for Ansible's message); and `need_bin NAME`: find_bin,
 * or Ansible's "Failed to find required executable" on stderr and exit 127. Each directory is tried in order,
 * as get_bin_path does: a directory or a non-executable file of that name is skipped. Its names are
 * its own (find_bin, need_bin, $bin, $binpath, $bindir, $bindirs): a script's other variables are left alone.
 */
export const FIND_BIN_SH = `${BIN_PATH_SH}
find_bin() {
  bindirs=$binpath
  while [ -n "$bindirs" ]; do
    bindir=\${bindirs%%:*}
    case $bindirs in *:*) bindirs=\${bindirs#*:} ;; *) bindirs= ;; esac
    [ -n "$bindir" ] && [ -f "$bindir/$1" ] && [ -x "$bindir/$1" ] && { bin=$bindir/$1; return 0; }
  done
  return 1
}
need_bin() {
  find_bin "$1" || { printf 'Failed to find required executable "%s" in paths: %s\\n' "$1" "$binpath" >&2; exit 127; }
}`

// $1 the program's name
const SCRIPT = `${FIND_BIN_SH}
if find_bin "$1"; then printf 'found\\n%s\\n' "$bin"; else printf 'missing\\n%s\\n' "$binpath"; fi`

export const binPath: Fact<BinPath, [string]> = {
  name: 'bin.path',
  key: (name) => name,
  command: (name) => shScript(SCRIPT, name),
  parse(out, name) {
    const [head, rest = ''] = out.stdout.replace(/\n$/, '').split('\n')
    if (out.rc !== 0 || (head !== 'found' && head !== 'missing')) throw new Error(`cannot look for ${name} on the host: ${out.stderr.trim()}`)
    return head === 'found' ? { found: rest } : { missing: rest }
  },
}

/** Ansible's "Failed to find required executable" message for a missing program. */
export const missingExecutable = (name: string, searched: string) => `Failed to find required executable "${name}" in paths: ${searched}`
