/** `acplay run`: the ansible-playbook equivalent. Options with Ansible's spelling. */
import { Command, CommanderError, Option } from 'commander'
import { load, run } from '../run.js'
import { DEFAULT_FORKS, type RunOptions } from '../run/options.js'
import type { RunSummary } from '../report/types.js'
import { interruptedExitCode, interruptedLines } from '../report/interrupted.js'
import { reportersFor, reportFiles } from './reporters.js'
import { listPlaybook } from '../run/listing.js'
import { cliPasswords } from './cli-passwords.js'
import { mergeExtraVars } from '../vars/extra-vars.js'
import { withVault } from '../vault/context.js'
import { addVaultOptions, vaultFromFlags } from './vault-options.js'
import { dirname, resolve } from 'node:path'
import { parseSlice } from '../inventory/slice.js'
import { setting, sourceFor } from '../config/settings.js'

const collect = (v: string, prev: string[]) => [...prev, v]
const count = (_: string, prev: number) => prev + 1

export function runCommand(name: string, description: string): Command {
  const cmd = new Command(name).description(description).argument('<playbook>', 'playbook file (YAML)')
  addHostOptions(cmd)
    .option('-t, --tags <tags>', 'only run tasks tagged with these (comma separated, repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks tagged with these (comma separated, repeatable)', collect, [])
    .option('--list-tasks', 'list the tasks of each play, then exit')
    .option('--list-tags', "list the tags of each play's tasks, then exit")
    .option('--syntax-check', 'check the playbook and inventory, then exit')
    .option('--start-at-task <name>', 'start the playbook at the task with this name')
    .option('--step', 'one step at a time: confirm each task before it runs ((N)o/(y)es/(c)ontinue)')
    .option('--flush-cache', 'clear the fact cache of every host in the inventory')
    .option('--force-handlers', 'run handlers even if a task fails on the host that notified them')
    .addOption(
      new Option('--lock [seconds]', 'one run at a time per host: wait up to SECONDS (default 300) for another acplay run on a host to finish').argParser((v) =>
        positiveInt(v, '--lock'),
      ),
    )
    .option('--detailed-exitcode', 'with --check (always on for check): exit 0 in sync, 2 drift, 1 error, 4 unreachable')
    .option('--slice <K/N>', "run part K of N of the inventory's hosts (sorted by name, every Nth: AWX's job slicing); see docs/fleets.md")
    .option('--json', 'print one JSON document for machines on stdout instead of text')
    .option('--report <file>', 'also write an audit: FILE.json (schema/audit-report.schema.json) or FILE.xml (JUnit); repeatable', collect, [])
  return cmd
}

/** The options of any run on hosts (a playbook's or acplay adhoc's): inventory, connection, become, variables, check, vault. */
export function addHostOptions(cmd: Command): Command {
  cmd
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect, [])
    .option('-C, --check', "don't make any changes; report what would change")
    .option('-D, --diff', 'show the differences in files and attributes')
    .option('-l, --limit <pattern>', 'further limit the selected hosts to a pattern')
    .option('-e, --extra-vars <vars>', 'extra variables: k=v, JSON, or @file (repeatable)', collect, [])
    .addOption(
      new Option('-f, --forks <n>', `hosts in parallel (default: ANSIBLE_FORKS, ansible.cfg forks, else ${DEFAULT_FORKS})`).argParser((v) =>
        positiveInt(v, '--forks'),
      ),
    )
    .addOption(
      new Option(
        '-c, --connection <type>',
        'the connection of hosts that set no ansible_connection (default: ANSIBLE_TRANSPORT, ansible.cfg transport, else ssh)',
      ).choices(['ssh', 'smart', 'local']),
    )
    .option('-u, --user <user>', 'connect as this user (default: ANSIBLE_REMOTE_USER, ansible.cfg remote_user)')
    .option('--private-key <file>', 'SSH private key file (default: ANSIBLE_PRIVATE_KEY_FILE, ansible.cfg private_key_file)')
    .option('-k, --ask-pass', "ask for the SSH password (a host's ansible_password wins)")
    .option('--connection-password-file <file>', 'the SSH password from this file (an executable file: its output)')
    .option('-b, --become', 'run operations with become (sudo; default: ANSIBLE_BECOME, ansible.cfg become)')
    .option('-K, --ask-become-pass', "ask for the become password (a host's ansible_become_password wins)")
    .option('--become-password-file <file>', 'the become password from this file (an executable file: its output)')
    .option('--become-user <user>', 'become this user (default: ANSIBLE_BECOME_USER, ansible.cfg become_user, else root)')
    .option('--become-method <method>', 'how to become: sudo or su (default: ANSIBLE_BECOME_METHOD, ansible.cfg become_method, else sudo)')
    .option('--list-hosts', 'list the hosts each play would run on, then exit')
    .option(
      '--ssh-common-args <args>',
      'ssh -o options acplay understands: StrictHostKeyChecking (yes, accept-new, no), UserKnownHostsFile, ConnectTimeout, ServerAliveInterval, ServerAliveCountMax',
    )
    .option('--ssh-extra-args <args>', 'more ssh -o options (as --ssh-common-args)')
    // accepted so Ansible's command lines run: acplay sends files through its shell session, never scp or sftp
    .addOption(new Option('--scp-extra-args <args>').hideHelp())
    .addOption(new Option('--sftp-extra-args <args>').hideHelp())
    .addOption(
      new Option('-T, --timeout <seconds>', 'connection timeout in seconds (default 10; ansible_timeout per host)').argParser((v) =>
        positiveInt(v, '--timeout'),
      ),
    )
    .option('-v, --verbose', 'more output (repeatable: -vvv prints stack traces)', count, 0)
    .option('-M, --module-path <paths>', "prepend colon-separated path(s) to the module library (as ANSIBLE_LIBRARY's; repeatable)", collect, [])
  return addVaultOptions(cmd)
}

function positiveInt(v: string, name: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new CommanderError(5, 'acplay.option', `${name} must be a positive integer, got '${v}'`)
  return n
}

export type Flags = Record<string, unknown> & { inventory: string[]; tags: string[]; skipTags: string[]; extraVars: string[]; verbose: number }

/** The command line's options, and where one is not given, its setting (environment, ansible.cfg: engine/config/settings.ts). */
export function toOptions(playbook: string, f: Flags): RunOptions {
  const cfg = sourceFor(dirname(resolve(playbook)))
  const split = (xs: string[]) =>
    xs
      .flatMap((x) => x.split(','))
      .map((s) => s.trim())
      .filter(Boolean)
  return {
    playbook,
    inventory: f.inventory.length ? f.inventory : setting('DEFAULT_HOST_LIST', cfg)!,
    check: !!f.check,
    diff: !!f.diff,
    limit: f.limit as string | undefined,
    tags: split(f.tags),
    skipTags: split(f.skipTags),
    extraVars: mergeExtraVars(f.extraVars),
    forks: (f.forks as number | undefined) ?? setting('DEFAULT_FORKS', cfg),
    user: (f.user as string | undefined) ?? setting('DEFAULT_REMOTE_USER', cfg),
    connection: (f.connection as string | undefined) ?? setting('DEFAULT_TRANSPORT', cfg),
    privateKey: (f.privateKey as string | undefined) ?? setting('DEFAULT_PRIVATE_KEY_FILE', cfg),
    // -b can only turn become on, as in Ansible
    become: f.become ? true : setting('DEFAULT_BECOME', cfg),
    becomeUser: (f.becomeUser as string | undefined) ?? setting('DEFAULT_BECOME_USER', cfg),
    becomeMethod: (f.becomeMethod as string | undefined) ?? setting('DEFAULT_BECOME_METHOD', cfg),
    becomeConfig: {
      sudo: { flags: setting('SUDO_BECOME_FLAGS', cfg), exe: setting('SUDO_BECOME_EXE', cfg) },
      su: { flags: setting('SU_BECOME_FLAGS', cfg), exe: setting('SU_BECOME_EXE', cfg) },
    },
    verbosity: f.verbose,
    startAtTask: f.startAtTask as string | undefined,
    step: f.step ? true : undefined,
    forceHandlers: f.forceHandlers ? true : undefined,
    flushCache: f.flushCache ? true : undefined,
    timeout: f.timeout as number | undefined,
    lock: f.lock === true ? 300 : (f.lock as number | undefined),
    sshArgs: [f.sshCommonArgs, f.sshExtraArgs].filter((a): a is string => typeof a === 'string'),
    modulePath: ((f.modulePath as string[] | undefined) ?? []).flatMap((p) => p.split(':')).filter(Boolean),
    slice: typeof f.slice === 'string' ? parseSlice(f.slice) : undefined,
  }
}

/** `exitCodeOf` lets `acplay check` map the summary to its detailed exit codes. */
export async function execute(playbook: string, f: Flags, exitCodeOf: (s: RunSummary) => number = (s) => s.exitCode): Promise<number> {
  reportFiles(f)
  const vault = await vaultFromFlags(f, { baseDir: dirname(resolve(playbook)) })
  // -e @file may be a vault file or hold !vault values
  const opts: RunOptions = { ...withVault(vault, () => toOptions(playbook, f)), vault, ...(await cliPasswords(f)) }
  const loaded = await load(opts)
  if (f.syntaxCheck) {
    process.stdout.write(`\nplaybook: ${playbook}\n`)
    return 0
  }
  if (f.listHosts || f.listTasks || f.listTags) {
    process.stdout.write(`${listPlaybook(loaded, opts, { hosts: !!f.listHosts, tasks: !!f.listTasks, tags: !!f.listTags }).join('\n')}\n`)
    return 0
  }
  const summary = await withSignals(async (signal) => run({ ...opts, reporters: await reportersFor(f, opts), signal }, loaded))
  if (summary.interrupted) {
    process.stderr.write(`${interruptedLines(summary.interrupted).join('\n')}\n`)
    return interruptedExitCode(summary.interrupted.reason)
  }
  return exitCodeOf(summary)
}

/**
 * SIGINT and SIGTERM interrupt the run (its remote commands are stopped, it says what it left
 * undone); a second one exits at once.
 */
async function withSignals<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController()
  const handler = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) process.exit(interruptedExitCode(sig))
    ac.abort(sig)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  try {
    return await fn(ac.signal)
  } finally {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
