/**
 * reboot and wait_for_connection, as Ansible's action plugins do them: they act on the host's
 * connection, not through a module plan. reboot reads the boot id, runs `shutdown -r`, then opens
 * new ssh sessions until the boot id differs and the test command passes; the run goes on with
 * that new connection. Check mode: reboot reports a change and does nothing, wait_for_connection
 * is skipped (as in Ansible).
 */
import { quote } from '../connection/quote.js'
import { AcplayError, ModuleFailure } from '../errors.js'
import type { ActionEnv, ActionOutcome } from './run-action.js'

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id'
/** Ansible's search_paths for the shutdown command */
const SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin']
/** Ansible backs off up to 12 s between attempts; a host that is back is found sooner with a lower cap */
const MAX_BACKOFF_S = 4

function seconds(args: Record<string, unknown>, key: string, dflt: number | undefined): number | undefined {
  const v = args[key] ?? args[`${key}_sec`]
  if (v === undefined || v === null) return dflt
  const n = Math.trunc(Number(v))
  if (!Number.isFinite(n)) throw new ModuleFailure(`${key} must be a number of seconds, got ${JSON.stringify(v)}`)
  return Math.max(0, n)
}

const sleep = async (ms: number, env: ActionEnv) => {
  const until = Date.now() + ms
  while (!env.host.interrupted && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())))
}

const lastLine = (e: unknown) => (e instanceof AcplayError ? e.message : e instanceof Error ? e.message : String(e)).trim().split('\n').pop() ?? ''

/** Runs `attempt` until it returns true or `timeoutS` passes, backing off after each failure; the last error, or undefined on success. */
async function until(env: ActionEnv, timeoutS: number, sleepS: (failures: number) => number, attempt: () => Promise<boolean>): Promise<string | undefined> {
  const end = Date.now() + timeoutS * 1000
  let error = 'no attempt was made'
  for (let failures = 0; Date.now() < end && !env.host.interrupted; failures++) {
    try {
      if (await attempt()) return undefined
      error = 'not yet'
    } catch (e) {
      error = lastLine(e)
    }
    await sleep(Math.min(sleepS(failures) * 1000, Math.max(0, end - Date.now())), env)
  }
  return env.host.interrupted ? 'the run was interrupted' : error
}

function shutdownCommand(args: Record<string, unknown>, preDelayS: number): string {
  const path = `PATH=${SEARCH_PATHS.join(':')}:$PATH; export PATH`
  // reboot_command is the user's own command line, run as Ansible runs it: by the shell
  if (args.reboot_command !== undefined) return `${path}\n${String(args.reboot_command)}`
  const msg = String(args.msg ?? 'Reboot initiated by Ansible')
  return `${path}\nshutdown -r ${Math.floor(preDelayS / 60)} ${quote(msg)}`
}

export async function reboot(args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  if (env.host.local)
    return {
      status: 'failed',
      msg: 'Running reboot with local connection would reboot the control node.',
      data: { changed: false, elapsed: 0, rebooted: false },
    }
  const rebootTimeout = seconds(args, 'reboot_timeout', 600)!
  const connectTimeout = seconds(args, 'connect_timeout', undefined)
  const preDelay = seconds(args, 'pre_reboot_delay', 0)!
  const postDelay = seconds(args, 'post_reboot_delay', 0)!
  const testCommand = String(args.test_command ?? 'whoami')
  const bootTimeCommand = String(args.boot_time_command ?? BOOT_ID)
  if (env.check) return { status: 'changed', data: { changed: true, elapsed: 0, rebooted: true } }

  const before = await env.host.exec(bootTimeCommand)
  if (before.rc !== 0) return { status: 'failed', msg: `failed to read the boot time: ${before.stderr.trim()}`, data: { rebooted: false } }
  const previous = before.stdout.trim()

  let rc = 0
  let out = { stdout: '', stderr: '' }
  try {
    const r = await env.host.exec(shutdownCommand(args, preDelay))
    rc = r.rc
    out = r
  } catch (e) {
    // the connection went away with the host: the reboot is under way
    if (!(e instanceof AcplayError && e.unreachable)) throw e
  }
  const started = Date.now()
  const elapsed = () => Math.floor((Date.now() - started) / 1000)
  if (rc !== 0)
    return {
      status: 'failed',
      msg: `Reboot command failed. Error was: '${out.stdout.trim()}, ${out.stderr.trim()}'`,
      data: { rebooted: false, elapsed: elapsed() },
    }
  if (postDelay) await sleep(postDelay * 1000, env)
  const backoff = (n: number) => Math.min(2 ** n, MAX_BACKOFF_S) + Math.random() / 2
  // a new ssh session each time: the old one dies with the host
  const booted = await until(env, rebootTimeout, backoff, async () => {
    await env.host.reconnect(connectTimeout)
    const now = await env.host.exec(bootTimeCommand, 30_000)
    const id = now.stdout.trim()
    if (now.rc !== 0 || id === '') throw new Error(`boot time command failed: ${now.stderr.trim()}`)
    return id !== previous
  })
  if (booted !== undefined) return timedOut(`Timed out waiting for last boot time check (timeout=${rebootTimeout})`, booted, elapsed())
  const tested = await until(env, rebootTimeout, backoff, async () => {
    const t = await env.host.exec(testCommand, 30_000)
    if (t.rc !== 0) throw new Error(`Test command failed: ${t.stderr.trim()} ${t.stdout.trim()}`)
    return true
  })
  if (tested !== undefined) return timedOut(`Timed out waiting for post-reboot test command (timeout=${rebootTimeout})`, tested, elapsed())
  return { status: 'changed', data: { changed: true, rebooted: true, elapsed: elapsed() } }
}

function timedOut(msg: string, lastError: string, elapsed: number): ActionOutcome {
  return { status: 'failed', msg: `${msg}: ${lastError}`, data: { rebooted: true, elapsed } }
}

export async function waitForConnection(args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  const connectTimeout = seconds(args, 'connect_timeout', 5)!
  const delay = seconds(args, 'delay', 0)!
  const pause = seconds(args, 'sleep', 1)!
  const timeout = seconds(args, 'timeout', 600)!
  if (env.check) return { status: 'skipped', reason: 'wait_for_connection: skipped in check mode', data: { skipped: true } }
  const started = Date.now()
  if (delay) await sleep(delay * 1000, env)
  const error = await until(
    env,
    timeout,
    () => pause,
    async () => {
      await env.host.reconnect(connectTimeout)
      const r = await env.host.exec('echo pong', Math.max(connectTimeout, 5) * 1000 + 5000)
      if (r.stdout.trim() !== 'pong') throw new Error('ping test failed')
      return true
    },
  )
  const elapsed = Math.floor((Date.now() - started) / 1000)
  if (error !== undefined) return { status: 'failed', msg: `timed out waiting for ping module test: ${error}`, data: { elapsed } }
  return { status: 'ok', data: { changed: false, elapsed } }
}
