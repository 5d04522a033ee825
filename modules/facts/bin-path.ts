/**
 * Where Ansible's get_bin_path finds a program on the host: the first executable file of that name
 * in PATH, then in the sbin directories PATH lacks. Missing: the search path, for Ansible's message.
 */
import { BIN_PATH_SH, shScript, type Fact } from '../types.js'

export type BinPath = { found: string } | { missing: string }

// $1 the program's name; each directory is tried in order, as get_bin_path does (a directory or a
// non-executable file of that name is skipped)
const SCRIPT = `${BIN_PATH_SH}
IFS=:
for d in $binpath; do
  [ -n "$d" ] && [ -f "$d/$1" ] && [ -x "$d/$1" ] && { printf 'found\\n%s/%s\\n' "$d" "$1"; exit 0; }
done
printf 'missing\\n%s\\n' "$binpath"`

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
