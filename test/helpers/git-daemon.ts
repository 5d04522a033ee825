/**
 * A git repository served by `git daemon` on the outer machine (git://GATEWAY:PORT/app.git), for
 * the git module's tests: commits on main, an annotated tag v1, a branch dev; `commit()` adds one
 * more to a branch. The daemon is killed by its PID in close().
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface GitServer {
  port: number
  /** the bare repository's directory */
  bare: string
  /** sha of a ref (main, dev, v1^{commit}) */
  rev(ref: string): string
  /** a new commit on `branch` (changing `file`), pushed to the served repository; returns its sha */
  commit(branch: string, file: string, content: string): string
  close(): Promise<void>
}

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'acplay',
  GIT_AUTHOR_EMAIL: 'acplay@test',
  GIT_COMMITTER_NAME: 'acplay',
  GIT_COMMITTER_EMAIL: 'acplay@test',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
}

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((ok) => s.listen(0, '0.0.0.0', () => ok()))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((ok) => s.close(() => ok()))
  return port
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`git daemon exited (${child.exitCode})`)
    const ok = await new Promise<boolean>((res) => {
      const c = connect(port, '127.0.0.1', () => {
        c.destroy()
        res(true)
      })
      c.on('error', () => res(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('git daemon did not start listening')
}

export async function startGitServer(): Promise<GitServer> {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-git-'))
  const work = join(dir, 'work')
  const bare = join(dir, 'served', 'app.git')
  const g = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' }).trim()
  execFileSync('mkdir', ['-p', work, join(dir, 'served')])
  g(work, 'init', '-q', '-b', 'main')
  writeFileSync(join(work, 'README'), 'first\n')
  writeFileSync(join(work, 'app.py'), 'print(1)\n')
  g(work, 'add', '.')
  g(work, 'commit', '-q', '-m', 'first')
  g(work, 'tag', '-a', 'v1', '-m', 'release 1')
  writeFileSync(join(work, 'README'), 'second\n')
  g(work, 'commit', '-q', '-am', 'second')
  g(work, 'checkout', '-q', '-b', 'dev')
  writeFileSync(join(work, 'dev.txt'), 'dev\n')
  g(work, 'add', '.')
  g(work, 'commit', '-q', '-m', 'dev work')
  g(work, 'checkout', '-q', 'main')
  g(dir, 'clone', '-q', '--bare', work, bare)
  g(work, 'remote', 'add', 'served', bare)
  const port = await freePort()
  const child = spawn(
    'git',
    ['daemon', '--reuseaddr', '--export-all', `--base-path=${join(dir, 'served')}`, '--listen=0.0.0.0', `--port=${port}`, join(dir, 'served')],
    {
      env: ENV,
      stdio: 'ignore',
    },
  )
  await listening(port, child)
  return {
    port,
    bare,
    rev: (ref) => g(bare, 'rev-parse', ref),
    commit(branch, file, content) {
      g(work, 'checkout', '-q', branch)
      writeFileSync(join(work, file), content)
      g(work, 'add', '.')
      g(work, 'commit', '-q', '-m', `change ${file}`)
      g(work, 'push', '-q', 'served', branch)
      return g(work, 'rev-parse', 'HEAD')
    },
    async close() {
      if (child.pid && child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r))
        process.kill(child.pid, 'SIGTERM')
        await gone
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
