#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Unit tests first (fast, no hosts),
// then integration tests (testbed hosts; they need root and say so loudly when they cannot run).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
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

const filter = process.argv[2]
const groups = [
  'dist/test/unit',
  'dist/examples',
  'dist/test/testbed',
  'dist/test/engine',
  'dist/test/modules',
  'dist/test/e2e',
  'dist/test/compat',
  'dist/test/faults',
]
let files = groups.flatMap(find)
if (filter) files = files.filter((f) => f.includes(filter))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' })
process.exit(r.status ?? 1)
