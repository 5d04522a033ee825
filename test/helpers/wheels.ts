/**
 * Pure-Python wheels for the pip tests, built with the outer machine's python3 (a wheel is a zip of
 * the package plus NAME-VER.dist-info/{METADATA,WHEEL,RECORD}), laid out as a PEP 503 "simple"
 * index: DIR/simple/<normalised name>/<wheel>. The testbed's static server lists directories as
 * links, which is exactly a PEP 503 project page; serve DIR and use `${url}simple/` as index_url.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface WheelSpec {
  name: string
  version: string
  /** Requires-Dist lines, e.g. 'acplay-pgdep>=1.0; extra == "postgres"' */
  requires?: string[]
  extras?: string[]
}

const BUILD = `
import base64, hashlib, json, re, sys, zipfile, os
spec, outdir = json.loads(sys.argv[1]), sys.argv[2]
dist = re.sub(r'[-_.]+', '_', spec['name']).lower()
pkg = dist
di = f"{dist}-{spec['version']}.dist-info"
meta = [f"Metadata-Version: 2.1", f"Name: {spec['name']}", f"Version: {spec['version']}"]
meta += [f"Provides-Extra: {e}" for e in spec.get('extras', [])]
meta += [f"Requires-Dist: {r}" for r in spec.get('requires', [])]
files = {
  f"{pkg}/__init__.py": f"__version__ = {spec['version']!r}\\n",
  f"{di}/METADATA": "\\n".join(meta) + "\\n",
  f"{di}/WHEEL": "Wheel-Version: 1.0\\nGenerator: acplay-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def h(b): return base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode()
record = "".join(f"{p},sha256={h(c.encode())},{len(c.encode())}\\n" for p, c in files.items()) + f"{di}/RECORD,,\\n"
files[f"{di}/RECORD"] = record
norm = re.sub(r'[-_.]+', '-', spec['name']).lower()
os.makedirs(os.path.join(outdir, 'simple', norm), exist_ok=True)
path = os.path.join(outdir, 'simple', norm, f"{dist}-{spec['version']}-py3-none-any.whl")
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    for p, c in files.items(): z.writestr(p, c)
print(path)
`

/** Builds one wheel into DIR/simple/<name>/ and returns its path. */
export function buildWheel(dir: string, spec: WheelSpec): string {
  mkdirSync(dir, { recursive: true })
  return execFileSync('python3', ['-c', BUILD, JSON.stringify(spec), dir], { encoding: 'utf8' }).trim()
}

/** The demo index: acplay-demo 1.0.0, 1.1.0, 2.0.0 (extra [postgres] -> acplay-pgdep), acplay-pgdep 1.0.0. */
export function buildDemoIndex(dir = mkdtempSync(join(tmpdir(), 'acplay-wheels-'))): string {
  const extra = { extras: ['postgres'], requires: ['acplay-pgdep>=1.0; extra == "postgres"'] }
  for (const version of ['1.0.0', '1.1.0', '2.0.0']) buildWheel(dir, { name: 'acplay-demo', version, ...extra })
  buildWheel(dir, { name: 'acplay-pgdep', version: '1.0.0' })
  return dir
}
