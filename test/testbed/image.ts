/**
 * The testbed image: built once by build-image.sh, cached under a key derived from the script, so a
 * changed recipe builds a fresh image. A lock directory keeps concurrent processes from building twice.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pidAlive, run, sleep } from './sh.js'

/** ACPLAY_TESTBED_CACHE moves the cache (e.g. to try a cold build without touching the shared one). */
export const IMAGE_CACHE = process.env.ACPLAY_TESTBED_CACHE || '/var/cache/acplay-testbed'

/** build-image.sh lives in the source tree (tsc does not copy it into dist). */
export function buildScript(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const p of [join(here, 'build-image.sh'), join(here, '../../../test/testbed/build-image.sh')]) {
    if (existsSync(p)) return p
  }
  throw new Error(`testbed: build-image.sh not found next to ${here}`)
}

export function imageKey(script = buildScript()): string {
  return createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16)
}

export interface ImageInfo {
  dir: string
  /** seconds the build took, when this call built it */
  builtInS?: number
}

/** Returns the cached image, building it first if missing (only one process builds; others wait). */
export async function ensureImage(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<ImageInfo> {
  const script = buildScript()
  const key = imageKey(script)
  return buildCached(join(IMAGE_CACHE, key), `image ${key}`, log, async (tmp) => {
    log('building testbed image (one time, ~35 s)')
    const r = await run(['bash', script, tmp])
    if (r.rc !== 0) throw new Error(`testbed image build failed (rc ${r.rc}):\n${r.stderr.slice(-4000)}`)
  })
}

/**
 * `dir`, built by `build(tmp)` first if missing: under a lock directory, so concurrent processes
 * build once (the others wait), into a temp dir renamed into place when complete.
 */
export async function buildCached(dir: string, what: string, log: (msg: string) => void, build: (tmp: string) => Promise<void>): Promise<ImageInfo> {
  if (existsSync(dir)) return { dir }
  mkdirSync(dirname(dir), { recursive: true })
  const lock = `${dir}.lock`
  let waiting = false
  for (;;) {
    if (existsSync(dir)) return { dir }
    try {
      mkdirSync(lock)
      break
    } catch {
      const holder = Number(readOr(join(lock, 'pid'), '0'))
      if (holder && !pidAlive(holder)) rmSync(lock, { recursive: true, force: true })
      else if (!waiting) log(`testbed: waiting for process ${holder || '?'} to build the ${what}`)
      waiting = true
      await sleep(500)
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid))
    if (existsSync(dir)) return { dir }
    const tmp = `${dir}.tmp`
    rmSync(tmp, { recursive: true, force: true }) // a builder that died half way
    const t0 = Date.now()
    try {
      await build(tmp)
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true })
      throw e
    }
    renameSync(tmp, dir)
    const builtInS = (Date.now() - t0) / 1000
    log(`testbed: built ${what} in ${builtInS.toFixed(1)} s`)
    return { dir, builtInS }
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function readOr(p: string, fallback: string): string {
  try {
    return readFileSync(p, 'utf8')
  } catch {
    return fallback
  }
}
