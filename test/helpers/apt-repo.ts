/**
 * Builds a tiny flat apt repository on the outer machine (dpkg-deb + dpkg-scanpackages, from dpkg-dev),
 * for hosts without internet: serve it with bed.serve(dir) and add `deb [trusted=yes] URL ./`.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface DebSpec {
  name: string
  version: string
  /** path (absolute on the host) -> content */
  files: Record<string, string>
  /** of those paths, the ones installed executable (0755) */
  executables?: string[]
  description?: string
}

/** Builds NAME_VERSION_all.deb into `dir`. */
export function buildDeb(dir: string, spec: DebSpec): string {
  const root = mkdtempSync(join(tmpdir(), 'acplay-deb-'))
  try {
    mkdirSync(join(root, 'DEBIAN'), { recursive: true })
    writeFileSync(
      join(root, 'DEBIAN', 'control'),
      [
        `Package: ${spec.name}`,
        `Version: ${spec.version}`,
        'Architecture: all',
        'Maintainer: acplay tests <tests@acplay.invalid>',
        'Section: misc',
        'Priority: optional',
        `Description: ${spec.description ?? 'acplay test package'}`,
        '',
      ].join('\n'),
    )
    for (const [path, content] of Object.entries(spec.files)) {
      const abs = join(root, path)
      mkdirSync(dirname(abs), { recursive: true })
      writeFileSync(abs, content)
      chmodSync(abs, spec.executables?.includes(path) ? 0o755 : 0o644)
    }
    const deb = join(dir, `${spec.name}_${spec.version}_all.deb`)
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, deb], { stdio: 'pipe' })
    return deb
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** (Re)writes Packages, Packages.gz-free flat index and a Release file for the .debs in `dir`; `release`: more Release fields (Suite, NotAutomatic...). */
export function indexRepo(dir: string, release: string[] = []): void {
  const packages = execFileSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  writeFileSync(join(dir, 'Packages'), packages)
  const body = readFileSync(join(dir, 'Packages'))
  const sha = createHash('sha256').update(body).digest('hex')
  const md5 = createHash('md5').update(body).digest('hex')
  writeFileSync(
    join(dir, 'Release'),
    [
      'Origin: acplay-tests',
      'Label: acplay-tests',
      ...release,
      `Date: ${new Date().toUTCString()}`,
      'MD5Sum:',
      ` ${md5} ${body.length} Packages`,
      'SHA256:',
      ` ${sha} ${body.length} Packages`,
      '',
    ].join('\n'),
  )
}

/** A fresh repo dir with the given packages, indexed. */
export function buildAptRepo(specs: DebSpec[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-apt-repo-'))
  for (const s of specs) buildDeb(dir, s)
  indexRepo(dir)
  return dir
}

/** Shell for the test host: only our repo as an apt source (the image's point to the internet). */
export function useOnlyRepoScript(url: string): string {
  return [
    'set -e',
    'mkdir -p /etc/apt/acplay-disabled',
    'for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do [ -e "$f" ] && mv "$f" /etc/apt/acplay-disabled/ || true; done',
    `echo 'deb [trusted=yes] ${url} ./' > /etc/apt/sources.list.d/acplay-test.list`,
  ].join('\n')
}

export interface RepoKey {
  /** a throw-away GNUPGHOME holding the secret key (remove it with the repo) */
  home: string
  /** ASCII-armored public key */
  armored: string
  /** binary (dearmored) public key */
  binary: Buffer
  /** 40 hex digits */
  fingerprint: string
  /** the last 16 hex digits (long key id) */
  keyId: string
}

/** A throw-away signing key: no passphrase, in a temp GNUPGHOME. */
export function makeRepoKey(name = 'acplay test repository'): RepoKey {
  const home = mkdtempSync(join(tmpdir(), 'acplay-gpg-'))
  chmodSync(home, 0o700)
  const gpg = (...args: string[]) => execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  gpg('--passphrase', '', '--quick-gen-key', `${name} <repo@acplay.invalid>`, 'ed25519', 'sign', 'never')
  const colons = gpg('--with-colons', '--list-keys').toString()
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1]!
  return { home, armored: gpg('--armor', '--export', fingerprint).toString(), binary: gpg('--export', fingerprint), fingerprint, keyId: fingerprint.slice(-16) }
}

/** Signs the repo's Release (InRelease and Release.gpg), as a real archive is signed. */
export function signRepo(dir: string, key: RepoKey): void {
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--homedir', key.home, '--batch', '--quiet', '--yes', '--local-user', key.fingerprint, ...args], { cwd: dir, stdio: 'pipe' })
  gpg('--clearsign', '--output', 'InRelease', 'Release')
  gpg('--detach-sign', '--armor', '--output', 'Release.gpg', 'Release')
}
