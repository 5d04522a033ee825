/**
 * What `acplay adhoc` prints for each host, as ansible's ad-hoc output (the minimal callback, or
 * oneline with -o): `host | CHANGED | rc=0 >>` and the output for command, shell and raw;
 * `host | SUCCESS => {json}` for other modules; FAILED!, UNREACHABLE!, SKIPPED; with -t, a JSON file per host.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ansibleJson } from './ansible-json.js'
import { pyJson } from '../vars/filters-data.js'
import { toBool } from '../vars/filters-core.js'
import type { HostResult, Reporter } from './types.js'
import { warningLine } from './format.js'

const named = (m: string) => [m, `ansible.builtin.${m}`, `ansible.legacy.${m}`]
/** Ansible's MODULE_NO_JSON: their output is printed as text, not as JSON. */
const TEXT_MODULES = new Set(['command', 'shell', 'raw'].flatMap(named))
const DEBUG = new Set(named('debug'))
const ASSERT = new Set(named('assert'))

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))

const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations'])
const HIDE_IN_DEBUG = new Set(['changed', 'failed', 'skipped', 'invocation', 'skip_reason'])

/** What Ansible's TaskResult.clean_copy and the callback's _clean_results leave out: failed and skipped; debug keeps its msg alone, or its var without changed. */
function shown(data: Record<string, unknown>, module: string): Record<string, unknown> {
  const rest = cleanCopy(data)
  if (!DEBUG.has(module)) return rest
  const keep = 'msg' in rest ? (k: string) => DEBUG_ALLOWED.has(k) : (k: string) => !HIDE_IN_DEBUG.has(k)
  return Object.fromEntries(Object.entries(rest).filter(([k]) => keep(k)))
}

/** TaskResult.clean_copy: what every callback gets (the tree callback's file keeps debug's other keys); less the `diff` their _dump_results drops below -vvv. */
function cleanCopy(data: Record<string, unknown>): Record<string, unknown> {
  const { failed: _f, skipped: _s, diff: _d, ...rest } = data
  return rest
}

/**
 * Results Ansible marks `_ansible_verbose_always` (debug's; assert's unless quiet): its callbacks
 * indent them by 4 even where they print one line (-o keeps the indentation, drops the newlines).
 */
export function verboseAlways(module: string, args: Readonly<Record<string, unknown>>): boolean {
  return DEBUG.has(module) || (ASSERT.has(module) && !toBool(args.quiet ?? false))
}

/**
 * `-t DIR` (Ansible's tree callback): each host's result as JSON in DIR/HOST, as the callback dumps
 * it: Python's json.dumps layout, keys sorted, non-ASCII kept; indented by 4 when verbose always.
 * Skipped hosts get no file.
 */
function writeTree(dir: string, host: string, result: Record<string, unknown>, verbose: boolean): void {
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, host), verbose ? pyJson(result, 4, true, ',', false) : pyJson(result, null, true, undefined, false))
  } catch (e) {
    process.stderr.write(`[WARNING]: Unable to write to ${host}'s file: ${(e as Error).message}\n`)
  }
}

export interface AdhocOutput {
  oneLine: boolean
  /** verboseAlways(module, args) */
  verbose: boolean
  /** -t's directory */
  tree?: string
}

export function adhocReporter(module: string, { oneLine, verbose, tree }: AdhocOutput, out: NodeJS.WritableStream = process.stdout): Reporter {
  const asText = TEXT_MODULES.has(module)
  const say = (line: string) => out.write(`${line}\n`)
  const json = (v: unknown) => (!oneLine ? ansibleJson(v, 4) : verbose ? ansibleJson(v, 4).replace(/\n/g, '') : ansibleJson(v, 0))
  // the minimal callback shows debug's msg alone; the oneline callback and the tree file, its clean copy
  const onScreen = (data: Record<string, unknown>) => (oneLine ? cleanCopy(data) : shown(data, module))
  const text = (host: string, data: Record<string, unknown>, caption: string) => {
    if (!oneLine) return `${host} | ${caption} | rc=${str(data.rc ?? -1)} >>\n${str(data.stdout)}${str(data.stderr)}${str(data.msg)}`
    const flat = (s: unknown) => str(s).replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    const stderr = data.stderr ? ` (stderr) ${flat(data.stderr)}` : ''
    return `${host} | ${caption} | rc=${str(data.rc ?? -1)} | (stdout) ${flat(data.stdout)}${stderr}`
  }
  return {
    onHostResult: (r: HostResult) => {
      const data = r.data ?? r.result ?? (r.output !== undefined ? { msg: r.output } : { msg: r.msg ?? r.reason ?? '' })
      if (r.status === 'skipped') return say(`${r.host} | SKIPPED`)
      if (r.status === 'unreachable') {
        const result = { changed: false, msg: r.msg ?? '', unreachable: true }
        if (tree) writeTree(tree, r.host, result, verbose)
        return say(oneLine ? `${r.host} | UNREACHABLE!: ${result.msg}` : `${r.host} | UNREACHABLE! => ${json(result)}`)
      }
      if (r.status === 'failed') {
        const result = onScreen(data)
        if (tree) writeTree(tree, r.host, cleanCopy(data), verbose)
        // the oneline callback prints a failure as JSON whatever the module
        return say(asText && !oneLine && !('module_stderr' in data) ? text(r.host, data, 'FAILED') : `${r.host} | FAILED! => ${json(result)}`)
      }
      const state = r.status === 'changed' ? 'CHANGED' : 'SUCCESS'
      const withChanged = { changed: r.status === 'changed', ...data }
      const result = onScreen(withChanged)
      if (tree) writeTree(tree, r.host, cleanCopy(withChanged), verbose)
      // a background job's result is JSON whatever the module (Ansible's callbacks: 'ansible_job_id' not in the result)
      say(asText && !('ansible_job_id' in data) ? text(r.host, data, state) : `${r.host} | ${state} => ${json(result)}`)
    },
    onWarning: (msg, kind) => process.stderr.write(`${warningLine(msg, kind)}\n`),
  }
}
