/**
 * What `acplay adhoc` prints for each host, as ansible's ad-hoc output (the minimal callback, or
 * oneline with -o): `host | CHANGED | rc=0 >>` and the output for command, shell and raw;
 * `host | SUCCESS => {json}` for other modules; FAILED!, UNREACHABLE!, SKIPPED; with -t, a JSON file per host.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ansibleJson } from './ansible-json.js'
import { pyJson } from '../vars/filters-data.js'
import type { HostResult, Reporter } from './types.js'
import { warningLine } from './format.js'
import { cleanCopy, shownResult } from './shown-result.js'

const named = (m: string) => [m, `ansible.builtin.${m}`, `ansible.legacy.${m}`]
/** Ansible's MODULE_NO_JSON: their output is printed as text, not as JSON. */
const TEXT_MODULES = new Set(['command', 'shell', 'raw'].flatMap(named))

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))

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
  const onScreen = (data: Record<string, unknown>) => (oneLine ? cleanCopy(data) : shownResult(data, module))
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
