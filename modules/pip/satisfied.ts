/**
 * "Already satisfied?" decided from the installed distributions (pure, so planners are unit-tested
 * from recorded facts): the version against the specifiers, and every dependency a requested extra needs.
 */
import type { InstalledDist } from '../facts/pip.js'
import { evaluateMarker, type MarkerEnv } from './markers.js'
import { satisfies } from './pep440.js'
import { parseRequirement, type Requirement } from './requirement.js'

export interface Verdict {
  req: Requirement
  /** 'unknown': installed by an earlier simulated change at a version not known in check mode */
  satisfied: boolean | 'unknown'
  /** "acplay-demo 1.1.0 satisfies ==1.1.0" / "acplay-demo 1.0.0 does not satisfy ==1.1.0" */
  why: string
}

const specText = (r: Requirement) => r.specifiers.map((s) => s.text).join(',') || 'any version'

function depsOfExtra(dist: InstalledDist, extra: string, env: MarkerEnv): Requirement[] {
  const out: Requirement[] = []
  for (const line of dist.requires ?? []) {
    let dep: Requirement
    try {
      dep = parseRequirement(line)
    } catch {
      continue // a URL dependency: pip's business
    }
    if (!dep.marker || !/\bextra\b/.test(dep.marker)) continue // base dependencies are pip's business too
    if (evaluateMarker(dep.marker, { ...env, extra })) out.push(dep)
  }
  return out
}

/** Checks one requirement for state present. Installed pre-releases count (as pip does). */
export function checkPresent(req: Requirement, dists: Record<string, InstalledDist>, env: MarkerEnv = {}): Verdict {
  if (req.marker && env.python_version && !evaluateMarker(req.marker, env)) {
    return { req, satisfied: true, why: `${req.name} is not wanted here (marker ${req.marker} does not match)` }
  }
  const d = dists[req.key]
  if (!d) return { req, satisfied: false, why: `${req.name} is not installed` }
  if (d.version === null) {
    return req.specifiers.length === 0
      ? { req, satisfied: true, why: `${req.name} would be installed by an earlier change` }
      : { req, satisfied: 'unknown', why: `${req.name} would be installed by an earlier change at a version not known in check mode` }
  }
  if (!satisfies(d.version, req.specifiers, { prereleases: true })) {
    return { req, satisfied: false, why: `${req.name} ${d.version} is installed, wanted ${specText(req)}` }
  }
  const missing: string[] = []
  for (const extra of req.extras) {
    for (const dep of depsOfExtra(d, extra, env)) {
      const dd = dists[dep.key]
      if (!dd || (dd.version !== null && !satisfies(dd.version, dep.specifiers, { prereleases: true }))) {
        missing.push(`${dep.name}${dep.specifiers.map((s) => s.text).join(',')}${dd ? ` (have ${dd.version})` : ''}`)
      }
    }
  }
  if (missing.length) {
    return { req, satisfied: false, why: `${req.name} ${d.version} is installed but its extra [${req.extras.join(',')}] needs ${missing.join(', ')}` }
  }
  const extras = req.extras.length ? ` with [${req.extras.join(',')}]` : ''
  return { req, satisfied: true, why: `${req.name} ${d.version}${extras} satisfies ${specText(req)}` }
}

/**
 * For state absent: is a matching version installed (a requirement with specifiers only removes
 * matching versions)? One the distribution installed stays when the distribution's pip is the one
 * that runs (or no pip is there yet: the distribution's package is the one an earlier task would
 * install): Debian's pip leaves its dist-packages under /usr alone ("Not uninstalling six at
 * /usr/lib/python3/dist-packages, outside environment /usr", exit 0), so the run reports ok, and
 * check mode must not predict a change.
 */
export function checkAbsent(req: Requirement, dists: Record<string, InstalledDist>): Verdict {
  const d = dists[req.key]
  if (!d) return { req, satisfied: true, why: `${req.name} is not installed` }
  if (d.version !== null && req.specifiers.length && !satisfies(d.version, req.specifiers, { prereleases: true })) {
    return { req, satisfied: true, why: `${req.name} ${d.version} is installed, which does not match ${specText(req)}` }
  }
  if (d.distro && (!dists.pip || dists.pip.distro)) {
    return { req, satisfied: true, why: `${req.name} ${d.version} is the distribution's (its dist-packages under /usr), which its pip does not uninstall` }
  }
  return { req, satisfied: false, why: `${req.name} ${d.version ?? ''} is installed`.replace('  ', ' ') }
}

/** The version an install of `req` leaves, when the requirement pins it exactly; otherwise null (unknown). */
export function pinnedVersion(req: Requirement): string | null {
  const [s] = req.specifiers
  if (req.specifiers.length === 1 && (s!.op === '==' || s!.op === '===') && !s!.version.endsWith('.*')) return s!.version
  return null
}
