/**
 * synchronize (ansible.posix): rsync between the controller and the host, run ON THE CONTROLLER
 * over ssh with the task's own connection: the same address, port, user, key and host key checking
 * (known_hosts) as acplay's connection, and `sudo -u USER rsync` on the host when the task becomes
 * USER (as Ansible). push (controller -> host) or pull (host -> controller).
 *
 * The plan is `rsync --dry-run --itemize-changes`: nothing itemized is ok (a no-op is that one
 * rsync, as in Ansible); otherwise the change is a controller step running the same rsync for real.
 * Check mode is the dry run, exactly as Ansible's. `changed` is rsync's itemized output, as Ansible's.
 * Effects (push from a directory): path.stat of what rsync creates, updates and deletes.
 */
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { quote } from '../engine/connection/quote.js'
import { shlexSplit } from '../engine/connection/shlex.js'
import { ModuleFailure } from '../engine/errors.js'
import { defineModule, type FactEffect, type ModuleContext, type Plan } from './types.js'

const MARK = '<<CHANGED>>'

/** A word in rsync's --rsh value: rsync splits on spaces and honours quotes, not backslashes. */
export function rshWord(w: string): string {
  if (/^[\w@%+=:,./-]+$/.test(w)) return w
  if (!w.includes("'")) return `'${w}'`
  if (!w.includes('"')) return `"${w}"`
  throw new ModuleFailure(`cannot pass ${JSON.stringify(w)} to rsync's --rsh (it has both kinds of quotes)`)
}

interface RsyncParams {
  src: string
  dest: string
  mode: string
  dest_port?: number
  delete: boolean
  private_key?: string
  rsync_path?: string
  archive: boolean
  checksum: boolean
  compress: boolean
  existing_only: boolean
  dirs: boolean
  recursive?: boolean
  links?: boolean
  copy_links: boolean
  perms?: boolean
  times?: boolean
  owner?: boolean
  group?: boolean
  set_remote_user: boolean
  rsync_timeout: number
  rsync_opts: string[]
  ssh_args?: string
  ssh_connection_multiplexing: boolean
  partial: boolean
  verify_host: boolean
  delay_updates: boolean
  link_dest?: string[]
}

/** The rsync argv, as ansible.posix.synchronize builds it (host paths as user@address:path). */
export function rsyncArgv(
  p: RsyncParams,
  ctx: Pick<ModuleContext, 'ssh' | 'become' | 'vars' | 'findFile'>,
  dryRun: boolean,
): { argv: string[]; src: string; dest: string } {
  const argv = ['rsync']
  if (p.delay_updates) argv.push('--delay-updates', '-F')
  if (p.compress) argv.push('--compress')
  if (p.rsync_timeout) argv.push(`--timeout=${p.rsync_timeout}`)
  if (dryRun) argv.push('--dry-run')
  if (p.delete) argv.push('--delete-after')
  if (p.existing_only) argv.push('--existing')
  if (p.checksum) argv.push('--checksum')
  if (p.copy_links) argv.push('--copy-links')
  const flags = { recursive: p.recursive, links: p.links, perms: p.perms, times: p.times, owner: p.owner, group: p.group }
  if (p.archive) {
    argv.push('--archive')
    for (const [k, v] of Object.entries(flags)) if (v === false) argv.push(`--no-${k}`)
  } else for (const [k, v] of Object.entries(flags)) if (v === true) argv.push(`--${k}`)
  if (p.dirs) argv.push('--dirs')
  const ssh = ctx.ssh
  const local = (path: string) => {
    if (isAbsolute(path)) return path
    const base = typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd()
    return join(base, path) + (path.endsWith('/') ? '/' : '')
  }
  let src = p.src
  let dest = p.dest
  if (ssh) {
    if (!p.rsync_opts.some((o) => o.includes('--rsh'))) {
      const rsh = ['ssh']
      if (!p.ssh_connection_multiplexing) rsh.push('-S', 'none')
      const key = p.private_key ?? ssh.privateKeyFile
      if (key) rsh.push('-i', key)
      rsh.push('-o', `Port=${p.dest_port ?? ssh.port}`, '-o', 'BatchMode=yes')
      // the connection's host key checking (verify_host can only add it)
      const checking = ssh.hostKeyChecking === true ? 'yes' : ssh.hostKeyChecking === false ? 'no' : ssh.hostKeyChecking
      if (checking !== 'no' || p.verify_host) {
        rsh.push('-o', `StrictHostKeyChecking=${checking === 'no' ? 'yes' : checking}`)
        if (ssh.knownHostsFile) rsh.push('-o', `UserKnownHostsFile=${ssh.knownHostsFile}`)
      } else rsh.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null')
      let extra: string[] = []
      try {
        extra = p.ssh_args ? shlexSplit(p.ssh_args) : []
      } catch (e) {
        throw new ModuleFailure(`argument 'ssh_args': ${(e as Error).message}`)
      }
      argv.push(`--rsh=${[...rsh, ...extra].map(rshWord).join(' ')}`)
    }
    const rsyncPath = p.rsync_path ?? (ctx.become ? `sudo -u ${ctx.become} rsync` : undefined)
    if (rsyncPath) argv.push(`--rsync-path=${rsyncPath}`)
    const host = ssh.address.includes(':') ? `[${ssh.address}]` : ssh.address
    const remote = (path: string) => `${p.set_remote_user ? `${ssh.user}@` : ''}${host}:${path}`
    if (p.mode === 'pull') {
      src = remote(p.src)
      dest = local(p.dest)
    } else {
      src = p.src.startsWith('/') ? p.src : ctx.findFile(p.src, 'files') + (p.src.endsWith('/') ? '/' : '')
      dest = remote(p.dest)
    }
  } else if (p.mode !== 'pull' && !p.src.startsWith('/')) src = ctx.findFile(p.src, 'files') + (p.src.endsWith('/') ? '/' : '')
  argv.push(...p.rsync_opts)
  if (p.partial) argv.push('--partial')
  if (p.link_dest?.length) {
    argv.push('-H', '-vv')
    for (const l of p.link_dest) argv.push(`--link-dest=${l}`)
  }
  argv.push(`--out-format=${MARK}%i %n%L`, src, dest)
  return { argv, src, dest }
}

interface RsyncRun {
  rc: number
  stdout: string
  stderr: string
}

function runRsync(argv: string[]): Promise<RsyncRun> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', (e) => resolve({ rc: 127, stdout, stderr: `cannot run rsync on the controller: ${e.message}` }))
    child.on('close', (code) => resolve({ rc: code ?? 1, stdout, stderr }))
  })
}

/** Ansible's result of one rsync run. */
function result(argv: string[], r: RsyncRun, linkDest: boolean): { changed: boolean; data: Record<string, unknown> } {
  const changed = linkDest ? !r.stdout.includes(`${MARK}.`) && r.stdout.includes(MARK) : r.stdout.includes(MARK)
  const clean = r.stdout.split(MARK).join('')
  return { changed, data: { cmd: argv.map(quote).join(' '), msg: clean, rc: r.rc, stdout_lines: clean.split('\n').filter((l) => l !== '') } }
}

/** What a push does to the host's paths, from the itemized lines. */
export function pushEffects(dest: string, stdout: string): FactEffect[] {
  const root = dest.replace(/\/+$/, '')
  const effects: FactEffect[] = []
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(MARK)) continue
    const item = line.slice(MARK.length)
    const deleted = /^\*deleting\s+(.*)$/.exec(item)
    if (deleted) {
      effects.push({ fact: 'path.stat', key: `${root}/${deleted[1]!.replace(/\/$/, '')}`, value: { exists: false } })
      continue
    }
    const [flags = '', ...rest] = item.split(' ')
    const name = rest
      .join(' ')
      .replace(/ -> .*$/, '')
      .replace(/\/$/, '')
    if (!name || name === '.') continue
    const type = flags[1] === 'd' ? 'directory' : flags[1] === 'L' ? 'link' : 'file'
    effects.push({ fact: 'path.stat', key: `${root}/${name}`, value: { exists: true, type } })
  }
  return effects
}

export const synchronize = defineModule({
  name: 'synchronize',
  aliases: ['ansible.posix.synchronize'],
  summary: 'A wrapper around rsync to make common tasks in your playbooks quick and easy',
  description:
    "rsync from the controller to the host (push) or back (pull), over ssh with the connection's own address, port, user, key and host key checking; " +
    '`sudo -u USER rsync` on the host when the task becomes USER. The plan is a dry run (--itemize-changes): nothing to transfer is ok; ' +
    "check mode is that dry run. changed follows rsync's itemized output, as in Ansible. Password authentication (sshpass) is not supported.",
  params: {
    src: {
      type: 'str',
      required: true,
      description: 'Path on the source (push: the controller, relative to files/; pull: the host). A trailing / copies the contents.',
    },
    dest: { type: 'str', required: true, description: 'Path on the destination (push: the host; pull: the controller).' },
    mode: { type: 'str', default: 'push', choices: ['pull', 'push'], description: 'push: controller to host; pull: host to controller.' },
    dest_port: { type: 'int', description: 'The host ssh port (default: the connection port).' },
    delete: { type: 'bool', default: false, description: 'Delete files in dest that are not in src (--delete-after).' },
    private_key: { type: 'path', controller: true, description: 'The ssh key on the controller (default: the connection key).' },
    rsync_path: { type: 'str', description: 'The rsync command on the host, e.g. "sudo rsync" (default: rsync, or sudo -u USER rsync with become).' },
    archive: { type: 'bool', default: true, description: 'Archive mode: recursive, links, perms, times, owner, group (and devices).' },
    checksum: { type: 'bool', default: false, description: 'Compare checksums instead of size and time.' },
    compress: { type: 'bool', default: true, description: 'Compress data during the transfer.' },
    existing_only: { type: 'bool', default: false, description: 'Skip files that do not exist on the destination.' },
    dirs: { type: 'bool', default: false, description: 'Transfer directories without recursing.' },
    recursive: { type: 'bool', description: 'Recurse into directories (default: archive).' },
    links: { type: 'bool', description: 'Copy symlinks as symlinks (default: archive).' },
    copy_links: { type: 'bool', default: false, description: 'Copy what symlinks point to instead of the links.' },
    perms: { type: 'bool', description: 'Preserve permissions (default: archive).' },
    times: { type: 'bool', description: 'Preserve modification times (default: archive).' },
    owner: { type: 'bool', description: 'Preserve the owner (default: archive; needs root on the receiving side).' },
    group: { type: 'bool', description: 'Preserve the group (default: archive).' },
    set_remote_user: { type: 'bool', default: true, description: 'Put the connection user in the remote path (user@host:path).' },
    rsync_timeout: { type: 'int', default: 0, description: 'rsync --timeout in seconds (0: none).' },
    rsync_opts: { type: 'list', elements: 'str', default: [], description: 'More rsync options, each one argument (e.g. ["--exclude=.git", "--no-motd"]).' },
    ssh_args: { type: 'str', description: 'More ssh options for rsync (split like a shell would).' },
    ssh_connection_multiplexing: { type: 'bool', default: false, description: 'Let ssh reuse a ControlMaster (otherwise -S none).' },
    partial: { type: 'bool', default: false, description: 'Keep partially transferred files (--partial).' },
    verify_host: {
      type: 'bool',
      default: false,
      description: 'Verify the host key. acplay always uses the connection host key checking; this can only turn it on.',
    },
    delay_updates: { type: 'bool', default: true, description: 'Put all updated files in place at the end (--delay-updates).' },
    link_dest: { type: 'list', elements: 'str', description: 'Hardlink unchanged files from these directories (--link-dest).' },
    use_ssh_args: {
      type: 'bool',
      default: false,
      description: 'Use the connection ssh_args: acplay has none of its own (the option is accepted and changes nothing).',
    },
  },
  returns: {
    cmd: 'the rsync command line',
    msg: "rsync's itemized output",
    stdout_lines: 'the same, line by line',
    rc: "rsync's exit code",
  },
  examples: `
- name: The DAGs, mirrored (files removed on the controller are removed on the host)
  ansible.posix.synchronize:
    src: dags/
    dest: /usr/local/airflow/dags/
    delete: true
    rsync_opts: ["--exclude=__pycache__"]
- name: The logs, back to the controller
  ansible.posix.synchronize:
    mode: pull
    src: /var/log/airflow/
    dest: "logs/{{ inventory_hostname }}/"
`,
  async plan(p, ctx): Promise<Plan> {
    // read-ahead records facts only: the dry run is work of this plan's own, not a fact
    if (ctx.recording) throw new Error('synchronize asks no facts')
    const dry = rsyncArgv(p, ctx, true)
    const run = await runRsync(dry.argv)
    if (run.rc !== 0) throw new ModuleFailure(run.stderr.trim() || `rsync failed (rc ${run.rc})`, { rc: run.rc, cmd: dry.argv.map(quote).join(' ') })
    const real = rsyncArgv(p, ctx, false)
    // the command a run makes is the one reported (Ansible's run makes that one rsync)
    const checked = result(ctx.check ? dry.argv : real.argv, run, !!p.link_dest?.length)
    if (!checked.changed) return { kind: 'ok', reason: `${dry.dest} is in sync with ${dry.src} (rsync has nothing to transfer)`, data: checked.data }
    const items = checked.data.stdout_lines as string[]
    const pushFromDir = p.mode !== 'pull' && ctx.ssh !== undefined && isDir(dry.src)
    return {
      kind: 'change',
      changes: [
        {
          summary: `rsync ${dry.src} -> ${dry.dest}: ${items.length} item(s) to transfer or delete`,
          commands: [],
          diff: ctx.diff ? { path: p.dest, before: '', after: `${checked.data.msg}` } : undefined,
          effects: pushFromDir ? pushEffects(p.dest, run.stdout) : [],
          controller: async () => {
            const r = await runRsync(real.argv)
            if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim() || `rsync failed (rc ${r.rc})`, { rc: r.rc, cmd: real.argv.map(quote).join(' ') })
            return result(real.argv, r, !!p.link_dest?.length).data
          },
        },
      ],
      data: checked.data,
    }
  },
})

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
