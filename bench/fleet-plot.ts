/**
 * bench/fleet.svg from the fleet bench's measured numbers (bench/fleet-results.json): four panels
 * over the number of hosts (log scale): wall time, controller CPU per task-host, controller peak
 * RSS, peak open file descriptors. acplay's converge / no-op / check as lines, ansible-playbook as
 * markers. A hand-written SVG: no plotting service, no dependency.
 *
 *   node dist/bench/fleet-plot.js [bench/fleet-results.json] [bench/fleet.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FleetCase } from './fleet-measure.js'
import { fleetRows, type FleetResults, type FleetRow } from './fleet-report.js'

const W = 360
const H = 240
const M = { l: 56, r: 12, t: 28, b: 40 }
const COLORS: Record<FleetCase, string> = { converge: '#c2410c', noop: '#1d4ed8', check: '#15803d', frozen: '#7c3aed' }

interface Panel {
  title: string
  unit: string
  value: (r: FleetRow) => number
  /** a target line, when there is one */
  target?: { y: number; label: string }
  /** a log scale: for values that span orders of magnitude (Ansible against acplay) */
  log?: boolean
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v || 1))
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((x) => x >= v) ?? v
}

function panel(p: Panel, rows: FleetRow[], x0: number, y0: number): string {
  const pw = W - M.l - M.r
  const ph = H - M.t - M.b
  const counts = [...new Set(rows.map((r) => r.hosts))].sort((a, b) => a - b)
  const [lo, hi] = [Math.log10(counts[0] ?? 1), Math.log10(counts.at(-1) ?? 10)]
  const xs = (h: number) => M.l + (hi === lo ? pw / 2 : ((Math.log10(h) - lo) / (hi - lo)) * pw)
  const values = [...rows.map(p.value), p.target?.y ?? 0].filter((v) => v > 0)
  const ymax = p.log ? 10 ** Math.ceil(Math.log10(Math.max(...values))) : niceMax(Math.max(...values) * 1.1)
  const ymin = p.log ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0
  const ys = p.log
    ? (v: number) => M.t + ph - ((Math.log10(Math.max(v, ymin)) - Math.log10(ymin)) / (Math.log10(ymax) - Math.log10(ymin))) * ph
    : (v: number) => M.t + ph - (v / ymax) * ph
  const ticks = p.log
    ? Array.from({ length: Math.round(Math.log10(ymax / ymin)) + 1 }, (_, i) => ymin * 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (ymax * i) / 4)
  const out: string[] = [`<g transform="translate(${x0},${y0})">`, `<text x="${M.l}" y="16" font-weight="bold">${esc(p.title)} (${esc(p.unit)})</text>`]
  for (const v of ticks) {
    out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${ys(v)}" y2="${ys(v)}" stroke="#e5e7eb"/>`)
    out.push(`<text x="${M.l - 6}" y="${ys(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`)
  }
  for (const h of counts) out.push(`<text x="${xs(h)}" y="${M.t + ph + 16}" text-anchor="middle">${h}</text>`)
  out.push(`<text x="${M.l + pw / 2}" y="${M.t + ph + 32}" text-anchor="middle">hosts</text>`)
  if (p.target) {
    out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${ys(p.target.y)}" y2="${ys(p.target.y)}" stroke="#dc2626" stroke-dasharray="4 3"/>`)
    out.push(`<text x="${M.l + 4}" y="${ys(p.target.y) - 4}" fill="#dc2626">${esc(p.target.label)}</text>`)
  }
  for (const kase of ['converge', 'noop', 'check'] as const) {
    const line = rows.filter((r) => r.tool === 'acplay' && r.case === kase).sort((a, b) => a.hosts - b.hosts)
    if (line.length) {
      out.push(`<polyline fill="none" stroke="${COLORS[kase]}" stroke-width="2" points="${line.map((r) => `${xs(r.hosts)},${ys(p.value(r))}`).join(' ')}"/>`)
      for (const r of line) out.push(`<circle cx="${xs(r.hosts)}" cy="${ys(p.value(r))}" r="3" fill="${COLORS[kase]}"/>`)
    }
    for (const r of rows.filter((x) => x.tool === 'ansible' && x.case === kase)) {
      const [cx, cy] = [xs(r.hosts), ys(p.value(r))]
      out.push(`<path d="M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx - 5},${cy + 5}L${cx + 5},${cy - 5}" stroke="${COLORS[kase]}" stroke-width="2"/>`)
    }
  }
  out.push('</g>')
  return out.join('\n')
}

export function fleetSvg(results: FleetResults): string {
  // the panels show the default forks only; the forks sweep is in the table
  const rows = fleetRows(results, { acplay: 10, ansible: 5 }).filter((r) => r.case !== 'frozen' && r.forks === (r.tool === 'acplay' ? 10 : 5))
  const panels: Panel[] = [
    { title: 'wall time', unit: 's, log scale', value: (r) => r.wallS, log: true },
    { title: 'controller CPU per task-host', unit: 'ms, log scale', value: (r) => r.cpuMsPerTaskHost, target: { y: 1, label: 'target 1 ms' }, log: true },
    { title: 'controller peak RSS', unit: 'MB', value: (r) => r.peakRssMb, target: { y: 250, label: 'target 250 MB' } },
    { title: 'peak open file descriptors', unit: 'fds', value: (r) => r.peakFds },
  ]
  const legend = (['converge', 'noop', 'check'] as const)
    .map(
      (k, i) =>
        `<g transform="translate(${16 + i * 120},${2 * H + 18})"><rect width="14" height="4" y="-6" fill="${COLORS[k]}"/><text x="20">acplay ${k}</text></g>`,
    )
    .join('')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${2 * H + 50}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => panel(p, rows, (i % 2) * W, Math.floor(i / 2) * H)),
    legend,
    `<text x="${16 + 3 * 120}" y="${2 * H + 18}">✕ ansible-playbook (default config)</text>`,
    `<text x="16" y="${2 * H + 40}" fill="#6b7280">${esc(`${results.date}, ${results.machine.cores} cores, ${results.machine.memGb} GB; light testbed hosts on the same machine`)}</text>`,
    '</svg>',
    '',
  ].join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const input = process.argv[2] ?? `${root}bench/fleet-results.json`
  const output = process.argv[3] ?? `${root}bench/fleet.svg`
  writeFileSync(output, fleetSvg(JSON.parse(readFileSync(input, 'utf8')) as FleetResults))
  process.stdout.write(`wrote ${output}\n`)
}
