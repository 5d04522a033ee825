/**
 * Filters, tests and lookups acplay lacks, run by the controller's Ansible: a collection's
 * (`community.general.hashids_encode`, `sensu.sensu_go.package_name`, `lookup('community.general.dig')`)
 * or one Ansible routes a short name to (`lookup('dig')`). Templates render synchronously, so
 * one Python process per acplay process, started when first needed, answers over two FIFOs read
 * and written synchronously: a call costs a round trip, not a Python start.
 *
 * Values cross as JSON, with Python's floats and tuples marked so they come back as they went
 * (py-value.ts); anything else Python returns that JSON has no form for becomes its str().
 */
import { execFileSync, spawn } from 'node:child_process'
import { constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PyFloat, PyTuple, tuple } from '../vars/py-value.js'
import { templateError } from '../vars/undefined.js'
import { collectionDirs, pythonWithAnsible } from './installed-ansible.js'

const SCRIPT = String.raw`
import json, sys
req = open(sys.argv[1], 'rb')
resp = open(sys.argv[2], 'wb')
def send(obj):
    resp.write((json.dumps(obj) + '\n').encode())
    resp.flush()
try:
    from ansible.errors import AnsibleError
    from ansible.module_utils.common.text.converters import to_text
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import lookup_loader
    from ansible.template import Templar
    loader = DataLoader()
    templar = Templar(loader=loader)
    env = templar.environment
except Exception as e:
    send({'error': 'cannot load Ansible: %s' % e})
    sys.exit(1)

def inbound(v):
    if isinstance(v, dict):
        if v.get('__acplay_py__') == 'float': return float(v['v'])
        if v.get('__acplay_py__') == 'tuple': return tuple(inbound(x) for x in v['v'])
        return dict((k, inbound(x)) for k, x in v.items())
    if isinstance(v, list): return [inbound(x) for x in v]
    return v

def outbound(v):
    if isinstance(v, bool) or v is None or isinstance(v, int): return v
    if isinstance(v, float): return {'__acplay_py__': 'float', 'v': v} if v.is_integer() else v
    if isinstance(v, str): return str(v)
    if isinstance(v, bytes): return to_text(v)
    if isinstance(v, dict): return dict((str(k), outbound(x)) for k, x in v.items())
    if isinstance(v, tuple): return {'__acplay_py__': 'tuple', 'v': [outbound(x) for x in v]}
    if isinstance(v, (list, set, frozenset)) or hasattr(v, '__next__'): return [outbound(x) for x in v]
    return to_text(v)

def has(mapping, name):
    try:
        mapping[name]
        return True
    except Exception:
        return False

send({'ready': True})
for line in req:
    q = inbound(json.loads(line))
    try:
        kind, name = q['kind'], q['name']
        if kind == 'filter':
            if not has(env.filters, name): raise AnsibleError('no filter named %r' % name)
            out = env.call_filter(name, q['value'], q['args'], q['kw'])
        elif kind == 'test':
            if not has(env.tests, name): raise AnsibleError('no test named %r' % name)
            out = env.call_test(name, q['value'], q['args'], q['kw'])
        elif kind == 'has-lookup':
            out = lookup_loader.has_plugin(name)
        else:
            lookup = lookup_loader.get(name, loader=loader, templar=templar)
            if lookup is None: raise AnsibleError('lookup plugin (%s) not found' % name)
            templar.available_variables = q['vars']
            out = lookup.run(q['terms'], variables=q['vars'], **q['kw'])
        send({'ok': outbound(out)})
    except Exception as e:
        send({'error': to_text(e) or type(e).__name__})
`

interface Bridge {
  req: number
  resp: number
  pending: Buffer
}

/** undefined: not started yet; null: no Ansible on the controller (or it would not start) */
let bridge: Bridge | null | undefined
/** the run's playbook directory: where the Python process finds collections (its `collections/` first) */
let playbookDirOfRun: string | undefined

/**
 * The run says where its playbook is, before anything asks. Only noted: the controller's Python is
 * asked where Ansible is when a plugin is first needed, not by every run (a python start-up).
 */
export function configurePythonPlugins(playbookDir: string): void {
  playbookDirOfRun = playbookDir
}

/** Whether the controller's Ansible can be asked (ansible-core is installed for a Python). */
export function hasPythonPlugins(): boolean {
  return pythonWithAnsible() !== undefined
}

export function pythonFilter(name: string, value: unknown, args: unknown[], kw: Record<string, unknown>): unknown {
  return call({ kind: 'filter', name, value, args, kw })
}

export function pythonTest(name: string, value: unknown, args: unknown[], kw: Record<string, unknown>): boolean {
  return call({ kind: 'test', name, value, args, kw }) === true
}

const lookupsFound = new Map<string, boolean>()

/** Whether the controller's Ansible has a lookup plugin by that name (a collection's, or routed there). */
export function hasPythonLookup(name: string): boolean {
  if (!/^[\w.]+$/.test(name)) return false
  let has = lookupsFound.get(name)
  if (has === undefined) {
    has = hasPythonPlugins() && call({ kind: 'has-lookup', name }) === true
    lookupsFound.set(name, has)
  }
  return has
}

/** A lookup plugin's run(terms, variables, **kw): `vars` only those JSON can carry. */
export function pythonLookup(name: string, terms: unknown[], kw: Record<string, unknown>, vars: Record<string, unknown>): unknown[] {
  const out = call({ kind: 'lookup', name, terms, kw, vars: plainVars(vars) })
  return Array.isArray(out) ? out : [out]
}

/** A lookup Python found and that failed (errors='ignore' and 'warn' apply to it), not a missing one. */
export class PythonLookupFailed extends Error {}

function call(q: Record<string, unknown>): unknown {
  const b = started()
  if (!b) throw templateError(`'${q.name}' is a ${q.kind} acplay lacks, and the controller has no Ansible to run it`)
  writeAll(b.req, Buffer.from(`${JSON.stringify(outbound(q))}\n`))
  const answer = readLine(b, 0) as { ok?: unknown; error?: string }
  if (answer.error !== undefined) throw q.kind === 'lookup' ? new PythonLookupFailed(answer.error) : templateError(answer.error)
  return inbound(answer.ok)
}

const STARTUP_MS = 60_000

function started(): Bridge | null {
  if (bridge !== undefined) return bridge
  bridge = null
  const python = pythonWithAnsible()
  if (!python) return null
  const dir = mkdtempSync(join(tmpdir(), 'acplay-plugins-'))
  try {
    const [reqPath, respPath] = [join(dir, 'req'), join(dir, 'resp')]
    execFileSync('mkfifo', ['-m', '600', reqPath, respPath])
    const env = { ...process.env, ANSIBLE_COLLECTIONS_PATH: collectionDirs(playbookDirOfRun ?? process.cwd()).join(':') }
    const child = spawn(python, ['-c', SCRIPT, reqPath, respPath], { stdio: 'ignore', env })
    child.on('error', () => {}) // a Python that will not start: the read below times out
    child.unref()
    // non-blocking opens: a Python that never opens its end must not hang this process
    const resp = openSync(respPath, constants.O_RDONLY | constants.O_NONBLOCK)
    const req = openUntil(reqPath, Date.now() + STARTUP_MS)
    const b: Bridge = { req, resp, pending: Buffer.alloc(0) }
    const hello = readLine(b, Date.now() + STARTUP_MS) as { ready?: boolean; error?: string }
    if (!hello.ready) throw new Error(hello.error ?? 'no answer')
    bridge = b
  } catch {
    bridge = null
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return bridge
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms)

function openUntil(path: string, deadline: number): number {
  for (;;) {
    try {
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)
    } catch (e) {
      // ENXIO: the reader has not opened it yet
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) throw e
      sleep(5)
    }
  }
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw stopped(e)
      sleep(1)
    }
  }
}

/** One JSON line from Python; deadline 0: none (a filter may take its time), but an exited Python ends it. */
function readLine(b: Bridge, deadline: number): unknown {
  const chunk = Buffer.alloc(65536)
  for (let spins = 0; ; ) {
    const nl = b.pending.indexOf(0x0a)
    if (nl >= 0) {
      const line = b.pending.subarray(0, nl).toString('utf8')
      b.pending = b.pending.subarray(nl + 1)
      return JSON.parse(line)
    }
    let n: number
    try {
      n = readSync(b.resp, chunk)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw stopped(e)
      n = -1
    }
    if (n > 0) {
      b.pending = Buffer.concat([b.pending, chunk.subarray(0, n)])
      spins = 0
      continue
    }
    // 0: no writer (not opened yet at start, or Python exited); -1: nothing yet
    if (n === 0 && bridge) throw stopped()
    if (deadline && Date.now() > deadline) throw stopped()
    sleep(spins++ < 100 ? 0 : 1)
  }
}

function stopped(e?: unknown): Error {
  bridge = null
  return templateError(`the controller's Ansible stopped answering${e instanceof Error ? `: ${e.message}` : ''}`)
}

/** acplay's values as JSON, Python's floats and tuples marked. */
function outbound(v: unknown): unknown {
  if (v instanceof PyFloat) return { __acplay_py__: 'float', v: v.v }
  if (v instanceof PyTuple) return { __acplay_py__: 'tuple', v: v.map(outbound) }
  if (Array.isArray(v)) return v.map(outbound)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = outbound(x)
    return out
  }
  return v === undefined ? null : v
}

function inbound(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(inbound)
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (o.__acplay_py__ === 'float') return new PyFloat(o.v as number)
    if (o.__acplay_py__ === 'tuple') return tuple((o.v as unknown[]).map(inbound))
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(o)) out[k] = inbound(x)
    return out
  }
  return v
}

/** The variables a lookup gets: those JSON can carry (hostvars and objects with behaviour are left out). */
function plainVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(vars)) {
    if (k === 'hostvars') continue
    try {
      out[k] = JSON.parse(JSON.stringify(outbound(v)))
    } catch {
      // a value JSON cannot carry
    }
  }
  return out
}
