/**
 * Builds the Airflow stand-in (test/fixtures/airflow-standin) as a wheel in a PEP 503 layout:
 * DIR/simple/airflow-standin/airflow_standin-2.0.0-py3-none-any.whl, with an `airflow` console script.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const STANDIN_SRC = fileURLToPath(new URL('../../../test/fixtures/airflow-standin/', import.meta.url))
export const STANDIN_VERSION = '2.0.0'
/** What the playbook installs in tests instead of astronomer-core[postgres]==2.0.0.* */
export const STANDIN_REQUIREMENT = 'airflow-standin[postgres]==2.0.*'

const BUILD = `
import base64, hashlib, os, sys, zipfile
src, out, version = sys.argv[1], sys.argv[2], sys.argv[3]
di = f"airflow_standin-{version}.dist-info"
files = {}
for name in sorted(os.listdir(os.path.join(src, "airflow_standin"))):
    if name.endswith(".py"):
        files[f"airflow_standin/{name}"] = open(os.path.join(src, "airflow_standin", name), "rb").read()
files[f"{di}/METADATA"] = (
    f"Metadata-Version: 2.1\\nName: airflow-standin\\nVersion: {version}\\n"
    "Summary: A stand-in for Apache Airflow (acplay tests and demo)\\nProvides-Extra: postgres\\n"
).encode()
files[f"{di}/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: acplay-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
files[f"{di}/entry_points.txt"] = b"[console_scripts]\\nairflow = airflow_standin.cli:main\\n"
h = lambda b: base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()
files[f"{di}/RECORD"] = ("".join(f"{p},sha256={h(c)},{len(c)}\\n" for p, c in files.items()) + f"{di}/RECORD,,\\n").encode()
d = os.path.join(out, "simple", "airflow-standin")
os.makedirs(d, exist_ok=True)
path = os.path.join(d, f"airflow_standin-{version}-py3-none-any.whl")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for p, c in files.items():
        z.writestr(p, c)
print(path)
`

/** Builds the index directory and returns it; serve it and use `${url}simple/` as index_url. */
export function buildStandinIndex(dir: string): string {
  execFileSync('python3', ['-c', BUILD, STANDIN_SRC, dir, STANDIN_VERSION], { encoding: 'utf8' })
  return dir
}
