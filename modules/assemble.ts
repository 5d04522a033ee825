/**
 * assemble: one file from a directory of fragments, as Ansible's: the directory's regular files
 * (symlinks followed) in sorted order, filtered by `regexp` (searched in the name) and
 * `ignore_hidden`, with `delimiter` between fragments and a newline after a fragment that lacks one.
 * The fragments are on the host (remote_src, the default: read in one round trip) or on the
 * controller (found as copy finds src, Ansible Vault files decrypted). The result is written like
 * copy's content (files/write.ts: compared by checksum, attributes, backup, validate).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { vaultPlaintext } from './files/local-file.js'
import { pyRegex } from './files/py-regex.js'
import { statPaths } from './files/stat.js'
import { planWrite, validateArgv } from './files/write.js'
import { defineModule, shScript, type Fact, type Plan } from './types.js'

interface Fragment {
  name: string
  content: Buffer
}

// every entry that is a regular file (through symlinks): its name and its bytes in base64, NUL-separated
const FRAGMENTS = `cd -- "$1" 2>/dev/null || { if [ -e "$1" ]; then echo notdir; else echo absent; fi; exit 0; }
echo dir
for f in .* *; do [ -f "$f" ] || continue; printf '%s\\0' "$f"; base64 -w0 < "$f" || exit 1; printf '\\0'; done`

/** The fragments in a directory on the host (unsorted), or why there are none. */
export const hostFragments: Fact<{ state: 'absent' | 'notdir' | 'dir'; fragments: Fragment[] }, [string]> = {
  name: 'assemble.fragments',
  key: (dir) => dir,
  command: (dir) => shScript(FRAGMENTS, dir),
  parse(out, dir) {
    const nl = out.stdout.indexOf('\n')
    const head = out.stdout.slice(0, nl < 0 ? undefined : nl).trim()
    if (out.rc !== 0 || !['absent', 'notdir', 'dir'].includes(head))
      throw new Error(`cannot read the fragments in ${dir}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const tokens = out.stdout.slice(nl + 1).split('\0')
    const fragments: Fragment[] = []
    for (let i = 0; i + 1 < tokens.length; i += 2) fragments.push({ name: tokens[i]!, content: Buffer.from(tokens[i + 1]!, 'base64') })
    return { state: head as 'absent' | 'notdir' | 'dir', fragments }
  },
}

/** Python's codecs.escape_decode, as Ansible un-escapes a delimiter ("\\n" -> newline, "\\x41", octal). */
export function escapeDecode(s: string): Buffer {
  const simple: Record<string, number> = { '\\': 0x5c, "'": 0x27, '"': 0x22, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 }
  const src = Buffer.from(s, 'utf8')
  const out: number[] = []
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== 0x5c || i + 1 === src.length) {
      out.push(src[i]!)
      continue
    }
    const e = String.fromCharCode(src[++i]!)
    const octal = /^[0-7]{1,3}/.exec(src.subarray(i, i + 3).toString('latin1'))
    const hex = /^x[0-9a-fA-F]{2}/.exec(src.subarray(i, i + 3).toString('latin1'))
    if (e === '\n') continue
    if (simple[e] !== undefined) out.push(simple[e])
    else if (octal) {
      out.push(Number.parseInt(octal[0], 8) & 0xff)
      i += octal[0].length - 1
    } else if (hex) {
      out.push(Number.parseInt(hex[0].slice(1), 16))
      i += 2
    } else out.push(0x5c, src[i]!)
  }
  return Buffer.from(out)
}

export interface AssembleOptions {
  delimiter?: string
  regexp?: RegExp
  ignoreHidden: boolean
}

/** The assembled bytes: fragments sorted by name, filtered, a delimiter between them, a newline after one that lacks it. */
export function assembleFragments(fragments: readonly Fragment[], o: AssembleOptions): Buffer {
  const parts: Buffer[] = []
  let first = true
  let lacksNewline = false
  const delimiter = o.delimiter ? escapeDecode(o.delimiter) : undefined
  for (const f of [...fragments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (o.regexp && !o.regexp.test(f.name)) continue
    if (o.ignoreHidden && f.name.startsWith('.')) continue
    if (lacksNewline) parts.push(Buffer.from('\n'))
    if (!first && delimiter) {
      parts.push(delimiter)
      if (delimiter.at(-1) !== 0x0a) parts.push(Buffer.from('\n'))
    }
    parts.push(f.content)
    first = false
    lacksNewline = !(f.content.length > 0 && f.content.at(-1) === 0x0a)
  }
  return Buffer.concat(parts)
}

/** The regular files (through symlinks) of a directory on the controller. */
function localFragments(dir: string, decrypt: boolean): Fragment[] {
  let names: string[]
  try {
    if (!statSync(dir).isDirectory()) throw new ModuleFailure(`Source (${dir}) is not a directory`)
    names = readdirSync(dir)
  } catch (e) {
    if (e instanceof ModuleFailure) throw e
    throw new ModuleFailure(`Source (${dir}) does not exist`)
  }
  return names
    .filter((n) => {
      try {
        return statSync(join(dir, n)).isFile()
      } catch {
        return false
      }
    })
    .map((name) => {
      const path = join(dir, name)
      return { name, content: (decrypt ? vaultPlaintext(path) : undefined) ?? readFileSync(path) }
    })
}

export const assemble = defineModule({
  name: 'assemble',
  aliases: ['ansible.builtin.assemble'],
  summary: 'Assemble a file from a directory of fragments',
  description:
    'The fragments are the regular files of `src`, in sorted order; `src` is on the host unless remote_src is false (then it is found ' +
    "like copy's src, on the controller). The file is written like copy's content: compared by checksum, with backup and validate.",
  params: {
    src: { type: 'path', required: true, controller: 'remote_src', description: 'The directory of fragments.' },
    dest: { type: 'path', userTilde: 'remote_src', required: true, description: 'The file to write.' },
    remote_src: { type: 'bool', default: true, description: 'false: src is on the controller (files/ of the role or playbook).' },
    delimiter: { type: 'str', description: 'Text between fragments; escapes like \\n are understood; a newline follows it.' },
    regexp: { type: 'str', description: 'Only fragments whose name this (Python) regular expression finds something in.' },
    ignore_hidden: { type: 'bool', default: false, description: 'Leave out fragments whose name starts with a dot.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
    validate: { type: 'str', description: 'Command to check the new file before it replaces dest; %s is the temp file.' },
    decrypt: { type: 'bool', default: true, description: 'Decrypt Ansible Vault fragments on the controller (remote_src: false).' },
    ...fileCommonParams,
  },
  returns: {
    src: 'the fragments directory',
    dest: 'the file',
    checksum: 'sha1 of the assembled file',
    md5sum: 'md5 of it',
    msg: "'OK'",
    backup_file: 'the backup copy',
  },
  examples: `
- ansible.builtin.assemble:
    src: /etc/haproxy/conf.d
    dest: /etc/haproxy/haproxy.cfg
    validate: haproxy -c -f %s
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    if (p.validate !== undefined && !p.validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${p.validate}`)
    validateArgv(p.validate)
    let regexp: RegExp | undefined
    try {
      regexp = p.regexp === undefined ? undefined : pyRegex(p.regexp, 'regexp')
    } catch (e) {
      throw new ModuleFailure(`Invalid Regexp (${(e as Error).message}) in "${p.regexp}"`)
    }
    let fragments: Fragment[]
    if (p.remote_src) {
      const read = await ctx.fact(hostFragments, p.src)
      if (read.state === 'absent') throw new ModuleFailure(`Source (${p.src}) does not exist`)
      if (read.state === 'notdir') throw new ModuleFailure(`Source (${p.src}) is not a directory`)
      fragments = read.fragments
    } else fragments = localFragments(ctx.findFile(p.src, 'files'), p.decrypt)
    const content = assembleFragments(fragments, { delimiter: p.delimiter, regexp, ignoreHidden: p.ignore_hidden })
    const data = {
      src: p.src,
      dest: p.dest,
      checksum: createHash('sha1').update(content).digest('hex'),
      md5sum: createHash('md5').update(content).digest('hex'),
      msg: 'OK',
    }
    const stats = await statPaths(ctx, [p.dest])
    const plan = await planWrite(ctx, { dest: p.dest, content, want: attrWant(p), backup: p.backup, validate: p.validate }, stats)
    return { ...plan, data: { ...plan.data, ...data } }
  },
})
