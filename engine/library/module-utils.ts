/**
 * Ansible's module_utils for modules written for Ansible (ansible-style.ts): a module that imports
 * `ansible.module_utils` needs that package on the host, as Ansible's AnsiballZ ships it. acplay
 * takes it from the Ansible installed on the controller (ansible-core's Python package) and sends
 * it as one zip, importable from PYTHONPATH; nothing of Ansible is part of acplay.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { ModuleFailure } from '../errors.js'

export interface ModuleUtilsZip {
  /** the zip: `ansible/__init__.py` (empty) and `ansible/module_utils/**.py` */
  bytes: Buffer
  /** sha256 of the zip, hex: the name it is kept under on the host */
  sha256: string
}

// prints the zip (base64) of the first python3's ansible.module_utils; exit 3 without one
const BUILD_ZIP = `
import base64, io, os, sys, zipfile
try:
    import ansible.module_utils as mu
except ImportError:
    sys.exit(3)
root = os.path.dirname(mu.__file__)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("ansible/__init__.py", (1980, 1, 1, 0, 0, 0)), "")
    for d, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for f in sorted(files):
            if f.endswith(".py"):
                path = os.path.join(d, f)
                info = zipfile.ZipInfo("ansible/module_utils/" + os.path.relpath(path, root), (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as fh:
                    z.writestr(info, fh.read())
sys.stdout.write(base64.b64encode(buf.getvalue()).decode())
`

/** The Pythons asked, in order: the one on PATH, then Debian's (where its ansible package lives). */
const PYTHONS = ['python3', '/usr/bin/python3']

let cached: ModuleUtilsZip | undefined

/** The controller's module_utils as a zip, built once per process; a ModuleFailure when no Python there has Ansible. */
export function moduleUtilsZip(): ModuleUtilsZip {
  if (cached) return cached
  for (const python of PYTHONS) {
    let b64: string
    try {
      b64 = execFileSync(python, ['-c', BUILD_ZIP], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] })
    } catch {
      continue // no such python, or no ansible in it
    }
    const bytes = Buffer.from(b64, 'base64')
    cached = { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
    return cached
  }
  throw new ModuleFailure(
    `this module imports ansible.module_utils, which acplay takes from the Ansible installed on the controller; no Python here has it (tried ${PYTHONS.join(', ')}): install ansible-core (Debian: apt-get install ansible-core)`,
  )
}
