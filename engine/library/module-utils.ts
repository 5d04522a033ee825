/**
 * The Python packages a module written for Ansible imports, as Ansible's AnsiballZ ships them:
 * `ansible.module_utils` (taken from the ansible-core installed on the controller) and a
 * collection's `plugins/module_utils` (from the collection installed there). Each is one zip,
 * importable from PYTHONPATH and kept on the host under its hash; nothing of Ansible is part of
 * acplay. Collections' zips hold `ansible_collections/` and `ansible_collections/<ns>/` as
 * namespace directories, so the zips of several collections on one PYTHONPATH join.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { ModuleFailure } from '../errors.js'

export interface PythonZip {
  bytes: Buffer
  /** the file name it is kept under on the host: `acplay-<what>-<sha256 prefix>.zip` */
  name: string
}

// prints a zip (base64) of one package tree; exit 3 when `root` is "ansible" and no ansible is importable
// argv: root dir ("ansible": ansible.module_utils of this python), the tree's path in the zip, namespace dirs
const BUILD_ZIP = `
import base64, io, os, sys, zipfile
root, prefix, namespaces = sys.argv[1], sys.argv[2], sys.argv[3:]
if root == "ansible":
    try:
        import ansible.module_utils as mu
    except ImportError:
        sys.exit(3)
    root = os.path.dirname(mu.__file__)
stamp = (1980, 1, 1, 0, 0, 0)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for d in namespaces:
        z.writestr(zipfile.ZipInfo(d + "/", stamp), "")
    parts = prefix.split("/")
    for i in range(len(namespaces) + 1, len(parts)):
        z.writestr(zipfile.ZipInfo("/".join(parts[:i]) + "/__init__.py", stamp), "")
    for d, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        rel = os.path.relpath(d, root)
        where = prefix if rel == "." else prefix + "/" + rel
        if "__init__.py" not in files:
            z.writestr(zipfile.ZipInfo(where + "/__init__.py", stamp), "")
        for f in sorted(files):
            if f.endswith(".py"):
                info = zipfile.ZipInfo(where + "/" + f, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(os.path.join(d, f), "rb") as fh:
                    z.writestr(info, fh.read())
sys.stdout.write(base64.b64encode(buf.getvalue()).decode())
`

/** The Pythons asked, in order: the one on PATH, then Debian's (where its ansible package lives). */
export const PYTHONS = ['python3', '/usr/bin/python3']

const cache = new Map<string, PythonZip>()

function buildZip(what: string, args: string[]): PythonZip | undefined {
  const key = args.join('\0')
  const hit = cache.get(key)
  if (hit) return hit
  for (const python of PYTHONS) {
    let b64: string
    try {
      b64 = execFileSync(python, ['-c', BUILD_ZIP, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] })
    } catch {
      continue // no such python, or no ansible in it
    }
    const bytes = Buffer.from(b64, 'base64')
    const zip = { bytes, name: `acplay-${what}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.zip` }
    cache.set(key, zip)
    return zip
  }
  return undefined
}

/** The controller's ansible.module_utils as a zip, built once per process; a ModuleFailure when no Python here has Ansible. */
export function moduleUtilsZip(): PythonZip {
  const zip = buildZip('module-utils', ['ansible', 'ansible/module_utils'])
  if (zip) return zip
  throw new ModuleFailure(
    `this module imports ansible.module_utils, which acplay takes from the Ansible installed on the controller; no Python here has it (tried ${PYTHONS.join(', ')}): install ansible-core (Debian: apt-get install ansible-core)`,
  )
}

/** The module_utils of collection `ns.coll` installed in `dir` (its `plugins/module_utils`) as a zip. */
export function collectionUtilsZip(collection: string, dir: string): PythonZip {
  const [ns, coll] = collection.split('.')
  const zip = buildZip(`${ns}-${coll}-utils`, [
    `${dir}/plugins/module_utils`,
    `ansible_collections/${ns}/${coll}/plugins/module_utils`,
    'ansible_collections',
    `ansible_collections/${ns}`,
  ])
  if (zip) return zip
  throw new ModuleFailure(`cannot pack the module_utils of collection ${collection} (${dir}): no python3 on the controller`)
}
