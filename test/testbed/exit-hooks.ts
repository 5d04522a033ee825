/** Tears live testbeds down when the process ends, however it ends (exit, SIGINT, SIGTERM, uncaught error). */
interface Downable {
  downSync(): void
}

const live = new Set<Downable>()
let installed = false

export function track(bed: Downable): void {
  live.add(bed)
  install()
}

export function untrack(bed: Downable): void {
  live.delete(bed)
}

function downAll(): void {
  for (const bed of [...live]) {
    live.delete(bed)
    try {
      bed.downSync()
    } catch (e) {
      process.stderr.write(`testbed: cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`)
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', downAll)
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(sig, () => {
      if (live.size) process.stderr.write(`testbed: ${sig}, tearing down ${live.size} testbed(s)\n`)
      downAll()
      process.exit(code)
    })
  }
}
