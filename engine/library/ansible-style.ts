/**
 * Modules written for Ansible in a role's or playbook's library/ (`library/mymod.py`,
 * `library/mymod` with a shebang): run as Ansible runs them, so roles that ship their own modules
 * work unchanged. The styles are Ansible's: a module that imports `ansible.module_utils` ("new
 * style") gets its arguments as `{"ANSIBLE_MODULE_ARGS": ...}` with Ansible's module_utils on its
 * PYTHONPATH (module-utils.ts); one that says WANT_JSON gets a JSON file; any other ("old style")
 * a file of `key=value` words. The module prints its result as JSON; that is the task's result.
 *
 * Such a module is opaque to acplay: it checks its own arguments, and in check mode it is asked
 * itself (`_ansible_check_mode`), as Ansible does: its answer (changed, skipped when it does not
 * support check mode) is the prediction.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { quote } from '../connection/quote.js'
import { ModuleFailure } from '../errors.js'
import { UnknownFact } from '../unknown.js'
import { splitlines } from '../vars/py-methods.js'
import { defineModule, shScript, type Applied, type Change, type Command, type Fact, type ModuleContext, type Outcome, type Plan } from '../../modules/types.js'
import { collectionDir } from './installed-ansible.js'
import { collectionUtilsZip, moduleUtilsZip } from './module-utils.js'

export type AnsibleModuleStyle = 'new' | 'json' | 'old'

/** Files in a library directory that may be modules written for Ansible: `.py`, `.sh`, or no extension. */
export const ANSIBLE_MODULE_FILE = /^[A-Za-z_][A-Za-z0-9_]*(\.py|\.sh)?$/

/** Ansible's reading of a module's source (its module_common): which way it takes its arguments. */
export function moduleStyle(source: string): AnsibleModuleStyle {
  if (
    /^\s*(from\s+ansible\.module_utils[.\s]|import\s+ansible\.module_utils\b|(from|import)\s+ansible_collections\.\w+\.\w+\.plugins\.module_utils\b)/m.test(
      source,
    )
  )
    return 'new'
  if (source.includes('WANT_JSON')) return 'json'
  return 'old'
}

// On the host: keeps the module_utils zips under ~/.ansible/tmp (each written once, temp then
// rename), writes the module and its arguments into a private directory, runs it, removes the
// directory. stdin: {"name", "style", "python" (run by this Python, not its shebang), "module"
// (base64), "args" (text), "zips": [{"name", "data"? (base64, when the host lacks it)}]}
const RUNNER = `
import base64, json, os, shutil, subprocess, sys, tempfile
req = json.load(sys.stdin)
base = os.path.expanduser("~/.ansible/tmp")
os.makedirs(base, mode=0o700, exist_ok=True)
env = dict(os.environ)
path = []
for zip in req["zips"]:
    z = os.path.join(base, zip["name"])
    if zip.get("data") is not None and not os.path.exists(z):
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".acplay-module-utils.")
        with os.fdopen(fd, "wb") as f:
            f.write(base64.b64decode(zip["data"]))
        os.rename(tmp, z)
    if not os.path.exists(z):
        sys.stderr.write("acplay: Ansible's module_utils are gone from %s; run the task again\\n" % z)
        sys.exit(70)
    path.append(z)
if path:
    env["PYTHONPATH"] = os.pathsep.join(path + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
d = tempfile.mkdtemp(prefix="acplay-module.", dir=base)
try:
    m = os.path.join(d, req["name"])
    with open(m, "wb") as f:
        f.write(base64.b64decode(req["module"]))
    os.chmod(m, 0o700)
    text = req["args"]
    if req["style"] == "new":
        # Ansible's per-task directory on the host, where AnsibleModule makes its temp files
        args = json.loads(text)
        args["ANSIBLE_MODULE_ARGS"]["_ansible_tmpdir"] = d
        text = json.dumps(args)
    a = os.path.join(d, "args")
    with open(a, "w") as f:
        f.write(text)
    argv = [sys.executable, m, a] if req["python"] else [m, a]
    sys.stdout.flush()
    sys.exit(subprocess.run(argv, stdin=subprocess.DEVNULL, env=env).returncode)
finally:
    shutil.rmtree(d, ignore_errors=True)
`

export interface AnsibleStyleOptions {
  /** the name tasks use (default: the file's name) */
  name?: string
  /** the installed collection the module is part of (its own module_utils may be imported relatively) */
  collection?: { name: string; dir: string }
  /** where collections the module imports from are looked for (default: the current directory's settings) */
  playbookDir?: string
}

const RELATIVE_IMPORT = /^\s*from\s+\.+\w*(\.\w+)*\s+import\b/m
const COLLECTION_UTILS = /ansible_collections\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.plugins\.module_utils/g
const utilsRefs = new Map<string, string[]>()

/** The collections whose module_utils a collection's module_utils import, read once per directory. */
function refsOfCollection(dir: string): string[] {
  let refs = utilsRefs.get(dir)
  if (!refs) {
    const found = new Set<string>()
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== '__pycache__') walk(join(d, e.name))
        else if (e.name.endsWith('.py')) for (const m of readFileSync(join(d, e.name), 'utf8').matchAll(COLLECTION_UTILS)) found.add(`${m[1]}.${m[2]}`)
      }
    }
    if (existsSync(join(dir, 'plugins', 'module_utils'))) walk(join(dir, 'plugins', 'module_utils'))
    refs = [...found]
    utilsRefs.set(dir, refs)
  }
  return refs
}

/** Every collection whose module_utils the module needs (those it imports, what they import, its own collection's). */
function neededCollections(source: string, opts: AnsibleStyleOptions): { name: string; dir: string }[] {
  const out = new Map<string, string>()
  const visit = (name: string, dir?: string) => {
    if (out.has(name)) return
    const where = dir ?? collectionDir(name, opts.playbookDir ?? process.cwd())
    if (!where)
      throw new ModuleFailure(
        `this module imports the module_utils of collection ${name}, which is not installed on the controller (ansible-galaxy collection install ${name})`,
      )
    out.set(name, where)
    for (const r of refsOfCollection(where)) visit(r)
  }
  if (opts.collection && existsSync(join(opts.collection.dir, 'plugins', 'module_utils'))) visit(opts.collection.name, opts.collection.dir)
  for (const m of source.matchAll(COLLECTION_UTILS)) visit(`${m[1]}.${m[2]}`)
  return [...out].map(([name, dir]) => ({ name, dir }))
}

/** Whether module_utils of this hash is kept on the host already (in the task's user's ~/.ansible/tmp). */
const moduleUtilsOnHost: Fact<boolean, [string]> = {
  name: 'ansible-module-utils',
  command: (zipName) => shScript('if [ -f "$HOME/.ansible/tmp/$1" ]; then echo yes; else echo no; fi', zipName),
  parse: (out) => out.stdout.trim() === 'yes',
  key: (zipName) => zipName,
}

/** Ansible's words for `key=value` arguments: Python's str() of each value, shell-quoted. */
function oldStyleArgs(args: Record<string, unknown>): string {
  const py = (v: unknown) => (v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : typeof v === 'string' ? v : JSON.stringify(v))
  return Object.entries(args)
    .map(([k, v]) => `${k}=${quote(py(v))}`)
    .join(' ')
}

/**
 * A module's result out of what it printed: the JSON between the first line that starts one and
 * the last that ends one (Ansible's _filter_non_json_lines); undefined when there is none.
 */
export function moduleResult(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split('\n')
  const start = lines.findIndex((l) => l.trimStart().startsWith('{'))
  if (start < 0) return undefined
  let end = lines.length - 1
  while (end > start && !lines[end]!.trimEnd().endsWith('}')) end--
  try {
    const v: unknown = JSON.parse(lines.slice(start, end + 1).join('\n'))
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Ansible's outcome of a module's run: its JSON (failed, changed, msg, the rest as return values), else MODULE FAILURE. */
export function moduleOutcome(out: Pick<Applied, 'rc' | 'stdout' | 'stderr'>): Outcome {
  const r = moduleResult(out.stdout)
  if (!r) {
    return {
      failed: true,
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
      data: { module_stdout: out.stdout, module_stderr: out.stderr, rc: out.rc },
    }
  }
  // invocation repeats the arguments (Ansible's output drops it below -vvv): not kept
  const { changed, failed, invocation: _, ...data } = r
  // Ansible's action adds the lines of what the module says it printed
  for (const k of ['stdout', 'stderr'] as const) {
    const text = data[k]
    if (typeof text === 'string' && !(`${k}_lines` in data)) data[`${k}_lines`] = splitlines(text)
  }
  return { failed: failed === true, changed: changed === true, msg: typeof data.msg === 'string' ? data.msg : undefined, data }
}

/** The spec of the module written for Ansible in `file`; undefined when the file is not one (a README, a binary). */
export function ansibleStyleModule(file: string, opts: AnsibleStyleOptions = {}): ReturnType<typeof defineModule> | undefined {
  const bytes = readFileSync(file)
  if (bytes.includes(0)) return undefined // binary modules: not supported
  const source = bytes.toString('utf8')
  const name = opts.name ?? basename(file, extname(file))
  const style = moduleStyle(source)
  // a file without extension that is no program is not a module (a README)
  if (extname(file) === '' && style !== 'new' && !source.startsWith('#!')) return undefined
  const moduleB64 = bytes.toString('base64')
  // Ansible runs a Python module with the host's interpreter whatever its shebang says (#!/usr/bin/python)
  const runByPython = style === 'new' || /^#!\s*(\S*\/)?(env\s+)?python/.test(source)
  /** the collections whose module_utils it imports: found when it first runs */
  let needed: { name: string; dir: string }[] | undefined

  /** The command that runs the module with `args` (Ansible's internal `_ansible_*` ones added), shipping module_utils when the host lacks them. */
  async function runCommand(params: Record<string, unknown>, ctx: ModuleContext): Promise<{ command: Command; effects: Change['effects'] }> {
    // Ansible's internal arguments that change what a module does (its temp files: _ansible_tmpdir, set on the host)
    const args = {
      ...params,
      _ansible_check_mode: ctx.check,
      _ansible_diff: ctx.diff,
      _ansible_module_name: name,
      _ansible_remote_tmp: '~/.ansible/tmp',
      _ansible_shell_executable: '/bin/sh',
    }
    const text = style === 'new' ? JSON.stringify({ ANSIBLE_MODULE_ARGS: args }) : style === 'json' ? JSON.stringify(args) : oldStyleArgs(args)
    const interpreter = ctx.vars.ansible_python_interpreter
    const python = typeof interpreter === 'string' && interpreter && !interpreter.startsWith('auto') ? interpreter : 'python3'
    needed ??= style === 'new' ? neededCollections(source, opts) : []
    const zips = style === 'new' ? [moduleUtilsZip(), ...needed.map((c) => collectionUtilsZip(c.name, c.dir))] : []
    const shipped = await Promise.all(
      zips.map(async (z) => ({ name: z.name, ...((await ctx.fact(moduleUtilsOnHost, z.name)) ? {} : { data: z.bytes.toString('base64') }) })),
    )
    const req = { name: basename(file, extname(file)), style, python: runByPython, module: moduleB64, args: text, zips: shipped }
    const effects = zips.map((z) => ({ fact: moduleUtilsOnHost.name, key: z.name, value: true }))
    return { command: { argv: [python, '-c', RUNNER], stdin: JSON.stringify(req) }, effects: effects.length ? effects : undefined }
  }

  return defineModule({
    name,
    summary: `${name}: a module written for Ansible (${file})`,
    description: `Run as Ansible runs it (${style === 'new' ? "AnsibleModule, with the controller's ansible.module_utils" : style === 'json' ? 'WANT_JSON' : 'key=value arguments'}); it checks its own arguments.`,
    params: {},
    anyParams: true,
    converges: false,
    file,
    async plan(p, ctx): Promise<Plan> {
      // in check mode the module answers for itself: never ahead of its turn
      if (ctx.recording && ctx.check) throw new Error(`${name} is asked itself in check mode, not read ahead`)
      if (style !== 'new' && !source.startsWith('#!')) throw new ModuleFailure(`module (${name}) is missing interpreter line`)
      if (RELATIVE_IMPORT.test(source))
        throw new ModuleFailure(
          `${name} imports relatively (from .. import), which acplay does not support: Ansible runs it as part of its collection's package`,
        )
      const { command, effects } = await runCommand(p, ctx)
      if (!ctx.check) return { kind: 'change', changes: [{ summary: `run ${name}`, commands: [command], effects }] }
      // check mode: the module answers for itself, with _ansible_check_mode set
      const out = await ctx.run(command)
      const o = moduleOutcome(out)
      if (o.failed) {
        const why = `it would fail now: ${(o.msg ?? 'failed').trim()}`
        // it may fail for lack of a Python library an earlier planned apt install brings (the
        // message names it: PyMySQL from python3-pymysql, psycopg2 from python3-psycopg2)
        if (MISSING_LIBRARY.test(o.msg ?? '')) {
          const said = (o.msg ?? '').toLowerCase()
          const pkg = ctx
            .effectKeys?.('apt.package')
            .find((k) => k.startsWith('python3-') && said.includes(k.slice(8)) && installedBy(ctx.effect('apt.package', k)))
          const after = pkg && ctx.madeBy?.(pkg)
          if (after) throw new UnknownFact(name, `${pkg} (${why})`, after)
        } else if (MISSING_EXECUTABLE.test(o.msg ?? '')) {
          // or for a program an earlier planned change may install (AnsibleModule.get_bin_path:
          // supervisorctl, which a planned pip install puts in /usr/local/bin): the first place
          // on its search path that is unknown until then
          const [, exe = '', dirs = ''] = MISSING_EXECUTABLE.exec(o.msg ?? '') ?? []
          for (const d of dirs.split(':').filter((x) => x.startsWith('/'))) {
            const path = `${d.replace(/\/+$/, '')}/${exe}`
            const after = ctx.unknown?.('path.stat', path)
            if (after !== undefined) throw new UnknownFact(name, `${path} (${why})`, after)
          }
        } else {
          // or for what an earlier planned change makes (postgresql_privs on a database
          // postgresql_db would create): "may change", naming that task, as a plan that met an unknown;
          // the name the message gives first (its roles may have been made by an earlier task too)
          const made = namedArgs(p).filter((v) => ctx.madeBy?.(v) !== undefined)
          const v = made.find((n) => namesIt(o.msg ?? '', n)) ?? made[0]
          if (v !== undefined) throw new UnknownFact(name, `${v} (${why})`, ctx.madeBy!(v)!)
        }
        throw new ModuleFailure(o.msg ?? `${name} failed`, o.data)
      }
      if (o.data?.skipped === true)
        return { kind: 'ok', skipped: true, reason: o.msg ?? `${name} does not support check mode`, data: { changed: false, ...o.data, msg: o.msg } }
      if (!o.changed) return { kind: 'ok', reason: o.msg ?? `${name} reports no change`, data: { ...o.data, ...(o.msg ? { msg: o.msg } : {}) } }
      return { kind: 'change', changes: [{ summary: `${name} reports it would change`, commands: [], effects, diff: moduleDiff(o.data?.diff) }], data: o.data }
    },
    interpret: (_p, out) => moduleOutcome(out),
  })
}

/** AnsibleModule.get_bin_path(required=True)'s failure: the program and the directories searched. */
const MISSING_EXECUTABLE = /Failed to find required executable "([^"/]+)" in paths: (\S+)/
/** How Ansible's modules say a Python library they import is missing (missing_required_lib, community.mysql's own words). */
const MISSING_LIBRARY = /Failed to import the required Python library|No module named|\bmodule is required\b/i

const installedBy = (effect: unknown) => (effect as { status?: string } | undefined)?.status === 'installed'

/** The names a module's arguments give: its string values, a list's, and each of a comma-separated one. */
function namedArgs(p: Record<string, unknown>): string[] {
  const out = new Set<string>()
  const add = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(add)
    else if (typeof v === 'string') {
      for (const n of [v, ...v.split(',')]) if (n.trim()) out.add(n.trim())
    }
  }
  for (const v of Object.values(p)) add(v)
  return [...out]
}

/** `msg` names `n` as a word of its own (`database "metrics" does not exist`, not `application`). */
const namesIt = (msg: string, n: string) => new RegExp(`(^|\\W)${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`).test(msg)

/** A module's `diff` ({before, after, before_header}) as acplay shows one. */
function moduleDiff(d: unknown): Change['diff'] {
  const one = Array.isArray(d) ? d[0] : d
  if (!one || typeof one !== 'object') return undefined
  const { before, after, before_header, after_header } = one as Record<string, unknown>
  if (typeof before !== 'string' || typeof after !== 'string') return undefined
  return { path: String(before_header ?? after_header ?? ''), before, after }
}
