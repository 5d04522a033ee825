/**
 * What `acplay adhoc` prints for each host, as ansible's ad-hoc output (the minimal callback, or
 * oneline with -o): `host | CHANGED | rc=0 >>` and the output for command, shell and raw;
 * `host | SUCCESS => {json}` for other modules; FAILED!, UNREACHABLE!, SKIPPED.
 */
import { ansibleJson } from '../cli/ansible-json.js'
import type { HostResult, Reporter } from './types.js'

/** Ansible's MODULE_NO_JSON: their output is printed as text, not as JSON. */
const TEXT_MODULES = new Set(['command', 'shell', 'raw'].flatMap((m) => [m, `ansible.builtin.${m}`, `ansible.legacy.${m}`]))

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))

/** What Ansible's TaskResult.clean_copy and the callback leave out: failed and skipped; debug keeps its msg alone. */
function shown(data: Record<string, unknown>, module: string): Record<string, unknown> {
  const { failed: _f, skipped: _s, ...rest } = data
  return DEBUG.has(module) && 'msg' in rest ? { msg: rest.msg } : rest
}
const DEBUG = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug'])

export function adhocReporter(module: string, oneLine: boolean, out: NodeJS.WritableStream = process.stdout): Reporter {
  const asText = TEXT_MODULES.has(module)
  const say = (line: string) => out.write(`${line}\n`)
  const json = (v: unknown) => ansibleJson(v, oneLine ? 0 : 4)
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
        return say(oneLine ? `${r.host} | UNREACHABLE!: ${result.msg}` : `${r.host} | UNREACHABLE! => ${json(result)}`)
      }
      // the oneline callback prints a failure as JSON whatever the module
      if (r.status === 'failed')
        return say(asText && !oneLine && !('module_stderr' in data) ? text(r.host, data, 'FAILED') : `${r.host} | FAILED! => ${json(shown(data, module))}`)
      const state = r.status === 'changed' ? 'CHANGED' : 'SUCCESS'
      say(asText ? text(r.host, data, state) : `${r.host} | ${state} => ${json(shown({ changed: r.status === 'changed', ...data }, module))}`)
    },
    onWarning: (msg) => process.stderr.write(`[WARNING]: ${msg}\n`),
  }
}
