#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Unit tests first (fast, no hosts, two at
// once), then the host tests (testbed hosts or the controller itself; they need root and say so
// loudly when they cannot run), JOBS files at once: each testbed claims its own slots and each
// local test its own scratch dir, so files do not share hosts. A file listed in SERIAL changes
// something the whole machine shares and runs alone. Each file's output is printed whole when it
// ends, with its time; the slowest files are listed at the end. Each process gets its own TMPDIR:
// what a file leaves there (a test's scratch dir it forgot, a tool's temp files) is named after the
// file's output and removed, so a leak is seen, not piled up in /tmp.
//   node scripts/run-tests.mjs [FILTER...]   (files whose path contains any FILTER)   ACPLAY_TEST_JOBS=N (default 2)
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

function find(dir) {
  let out = []
  let names = []
  try {
    names = readdirSync(dir)
  } catch {
    return out
  }
  for (const n of names.sort()) {
    const p = join(dir, n)
    if (statSync(p).isDirectory()) out = out.concat(find(p))
    else if (n.endsWith('.test.js')) out.push(p)
  }
  return out
}

const UNIT = ['dist/test/unit', 'dist/examples']
const HOST = ['dist/test/testbed', 'dist/test/engine', 'dist/test/modules', 'dist/test/e2e', 'dist/test/compat', 'dist/test/faults']
/** Files that must have the machine to themselves (see the header). */
const SERIAL = new Set([])

const filters = process.argv.slice(2)
const pick = (dirs) => dirs.flatMap(find).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
const unit = pick(UNIT)
const host = pick(HOST)
if (unit.length + host.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const jobs = Math.max(1, Number(process.env.ACPLAY_TEST_JOBS) || 2)

// Short names: a unix socket's path under a TMPDIR must stay under 108 bytes.
const tmpRoot = mkdtempSync(join(tmpdir(), 'acplay-t-'))
let tmpCount = 0

/** Mount points under `dir` (a killed testbed's overlays): such a dir is left alone, never removed. */
const mountsUnder = (dir) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m?.startsWith(`${dir}/`))

/** What a test process left in its TMPDIR, removed: a line naming it, or '' when it left nothing. */
function leftovers(dir) {
  const left = readdirSync(dir)
  if (mountsUnder(dir).length > 0) return `## left in its TMPDIR, still mounted (not removed): ${dir}: ${left.join(', ')}\n`
  rmSync(dir, { recursive: true, force: true })
  return left.length > 0 ? `## left in its TMPDIR (removed): ${left.join(', ')}\n` : ''
}

/** One `node --test` process over `files`: its output, counts and time. */
function run(files, concurrency) {
  const started = Date.now()
  const tmp = join(tmpRoot, String(++tmpCount))
  mkdirSync(tmp)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmp },
    })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    child.on('close', (code, signal) => {
      out += leftovers(tmp)
      const count = (word) => Number(out.match(new RegExp(`^ℹ ${word} (\\d+)$`, 'm'))?.[1] ?? 0)
      resolve({
        files,
        out,
        code: code ?? 1,
        signal,
        seconds: (Date.now() - started) / 1000,
        pass: count('pass'),
        fail: count('fail'),
        tests: count('tests'),
        skipped: count('skipped'),
      })
    })
  })
}

const results = []
function report(r) {
  results.push(r)
  process.stdout.write(r.out)
  const name = r.files.length === 1 ? r.files[0] : `${r.files.length} unit files`
  const status = r.code === 0 ? 'ok' : `FAILED (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`
  console.log(`## ${name}: ${status} in ${r.seconds.toFixed(1)} s\n`)
}

if (unit.length > 0) report(await run(unit, 2))

// The host files: JOBS at once; a SERIAL file waits for the others to end and runs alone.
const queue = host.map((f) => ({ file: f, alone: SERIAL.has(f.replace(/^dist\//, '').replace(/\.js$/, '.ts')) }))
let running = 0
await new Promise((done) => {
  if (queue.length === 0) return done()
  let aloneRunning = false
  const next = () => {
    while (queue.length > 0 && !aloneRunning && running < jobs) {
      if (queue[0].alone && running > 0) return
      const { file, alone } = queue.shift()
      running++
      aloneRunning = alone
      run([file], 1).then((r) => {
        running--
        aloneRunning = false
        report(r)
        if (queue.length === 0 && running === 0) done()
        else next()
      })
    }
  }
  next()
})

const sum = (k) => results.reduce((n, r) => n + r[k], 0)
const failed = results.filter((r) => r.code !== 0)
console.log('## slowest files')
for (const r of results
  .filter((r) => r.files.length === 1)
  .sort((a, b) => b.seconds - a.seconds)
  .slice(0, 15))
  console.log(`${r.seconds.toFixed(1).padStart(8)} s  ${r.files[0]}`)
if (failed.length > 0) console.log(`## failed: ${failed.map((r) => (r.files.length === 1 ? r.files[0] : 'unit')).join(', ')}`)
console.log(
  `ℹ files ${results.reduce((n, r) => n + r.files.length, 0)}\nℹ tests ${sum('tests')}\nℹ pass ${sum('pass')}\nℹ fail ${sum('fail')}\nℹ skipped ${sum('skipped')}`,
)
if (mountsUnder(tmpRoot).length === 0) rmSync(tmpRoot, { recursive: true, force: true })
process.exit(failed.length > 0 || sum('fail') > 0 ? 1 : 0)
