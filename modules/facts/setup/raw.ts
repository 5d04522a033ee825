/** What the probe (probe.ts) printed, and Ansible's ways of reading it (get_file_content, get_file_lines). */
import type { Directive } from './probe.js'

/** rc null: the command could not be started */
export type CmdResult = [rc: number | null, stdout: string, stderr: string]

export interface Raw {
  /** file contents; null: missing or unreadable */
  f: Record<string, string | null>
  e: Record<string, boolean>
  l: Record<string, string | null>
  r: Record<string, string | null>
  /** directory entries in os.listdir order (what Ansible's glob returns); null: no such directory */
  d: Record<string, string[] | null>
  /** null: the command is not installed */
  c: Record<string, CmdResult | null>
  w: Record<string, string | null>
  uname?: [sysname: string, nodename: string, release: string, version: string, machine: string]
  bits?: number
  fqdn?: string
  /** first lines of /etc/*-release, *_version (the distro library's release files) */
  rel?: Record<string, string>
  py?: { version_info: [number, number, number, string, number]; executable: string; type: string; ssl: boolean }
  selinux_lib?: boolean
  user?: { id: string; pw: [number, number, string, string, string]; uid: number; euid: number; gid: number }
  env?: Record<string, string>
  time?: { us: number; local: string[]; utc: string; tz: string; tz_dst: string; tz_offset: string; epoch: number }
  loadavg?: [number, number, number]
  nproc?: number
  chroot?: { root: [number, number]; proc1: [number, number] | null; fstype?: string }
  mounts?: { mtab: string; statvfs: Record<string, number[] | null>; udevadm: Record<string, CmdResult> }
  localPath?: string
  local?: { name: string; error?: string; exec?: CmdResult; text?: string | null }[]
}

export type Facts = Record<string, unknown>

/** Python's str.strip() whitespace */
const strip = (s: string) => s.replace(/^[\s\x1c-\x1f]+|[\s\x1c-\x1f]+$/g, '')

/** Ansible's get_file_content: stripped contents, or `dflt` when missing, unreadable or empty. */
export function content(raw: Raw, path: string): string | undefined
export function content<D>(raw: Raw, path: string, dflt: D): string | D
export function content<D>(raw: Raw, path: string, dflt?: D): string | D | undefined {
  const text = raw.f[path]
  if (text === null || text === undefined) return dflt
  const s = strip(text)
  return s.length === 0 ? dflt : s
}

/** Ansible's get_file_lines: the stripped contents split into lines (none when missing or empty). */
export function lines(raw: Raw, path: string): string[] {
  const s = content(raw, path)
  return s ? splitlines(s) : []
}

/** Python's str.splitlines() */
export function splitlines(s: string): string[] {
  const out = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (out.length && out[out.length - 1] === '' && /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]$/.test(s)) out.pop()
  return s === '' ? [] : out
}

/** Python's str.split() with no argument: runs of whitespace, no empty words. */
export const words = (s: string) => s.split(/\s+/).filter(Boolean)

export const basename = (p: string) => p.replace(/\/+$/, '').split('/').pop() ?? ''

/** os.path.exists(path) and a non-empty file (Ansible's _file_exists without allow_empty) */
export const hasContent = (raw: Raw, path: string) => typeof raw.f[path] === 'string' && raw.f[path]!.length > 0

export interface GatherOptions {
  /** where local facts (*.fact) are read (Ansible's fact_path, default /etc/ansible/facts.d) */
  factPath: string
}

/** One of Ansible's fact collectors: what it reads, and its facts from that (keys without the ansible_ prefix). */
export interface Collector {
  name: string
  /** other names gather_subset knows it by ('processor', 'mounts' for hardware) */
  factIds?: string[]
  /** collectors whose facts it reads (from `collected`, prefixed: ansible_distribution) */
  requires?: string[]
  reads(o: GatherOptions): Directive[]
  collect(raw: Raw, collected: Facts): Facts
}
