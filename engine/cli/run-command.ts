/** `acplay run`: the ansible-playbook equivalent. Options with Ansible's spelling. */
import { Command, CommanderError, Option } from 'commander'
import { load, run } from '../run.js'
import { DEFAULT_FORKS, type RunOptions } from '../run/options.js'
import type { RunSummary } from '../report/types.js'
import { reportersFor, reportFiles } from './reporters.js'
import { listHosts, listTasks } from '../run/listing.js'
import { parseExtraVars } from '../vars/extra-vars.js'
import { withVault } from '../vault/context.js'
import { addVaultOptions, vaultFromFlags } from './vault-options.js'
import { dirname, resolve } from 'node:path'
import { parseSlice } from '../inventory/slice.js'

const collect = (v: string, prev: string[]) => [...prev, v]
const count = (_: string, prev: number) => prev + 1

export function runCommand(name: string, description: string): Command {
  const cmd = new Command(name)
    .description(description)
    .argument('<playbook>', 'playbook file (YAML)')
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect, [])
    .option('-C, --check', "don't make any changes; report what would change")
    .option('-D, --diff', 'show the differences in files and attributes')
    .option('-l, --limit <pattern>', 'further limit the selected hosts to a pattern')
    .option('-t, --tags <tags>', 'only run tasks tagged with these (comma separated, repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks tagged with these (comma separated, repeatable)', collect, [])
    .option('-e, --extra-vars <vars>', 'extra variables: k=v, JSON, or @file (repeatable)', collect, [])
    .addOption(new Option('-f, --forks <n>', 'hosts in parallel').default(DEFAULT_FORKS).argParser((v) => positiveInt(v, '--forks')))
    .option('-u, --user <user>', 'connect as this user')
    .option('--private-key <file>', 'SSH private key file')
    .option('-b, --become', 'run operations with become (sudo -n)')
    .option('--become-user <user>', 'become this user (default root)')
    .option('--list-hosts', 'list the hosts each play would run on, then exit')
    .option('--list-tasks', 'list the tasks of each play, then exit')
    .option('--syntax-check', 'check the playbook and inventory, then exit')
    .option('--start-at-task <name>', 'start the playbook at the task with this name')
    .option('--slice <K/N>', "run part K of N of the inventory's hosts (sorted by name, every Nth: AWX's job slicing); see docs/fleets.md")
    .option('--ssh-common-args <args>', "accepts '-o StrictHostKeyChecking=no' to turn host key checking off")
    .option('--json', 'print one JSON document for machines on stdout instead of text')
    .option('--report <file>', 'also write an audit: FILE.json (schema/audit-report.schema.json) or FILE.xml (JUnit); repeatable', collect, [])
    .option('-v, --verbose', 'more output (repeatable: -vvv prints stack traces)', count, 0)
  return addVaultOptions(cmd)
}

function positiveInt(v: string, name: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new CommanderError(5, 'acplay.option', `${name} must be a positive integer, got '${v}'`)
  return n
}

export type Flags = Record<string, unknown> & { inventory: string[]; tags: string[]; skipTags: string[]; extraVars: string[]; verbose: number }

export function toOptions(playbook: string, f: Flags): RunOptions {
  const split = (xs: string[]) =>
    xs
      .flatMap((x) => x.split(','))
      .map((s) => s.trim())
      .filter(Boolean)
  const hostKeyChecking = typeof f.sshCommonArgs === 'string' && /StrictHostKeyChecking\s*=\s*no/i.test(f.sshCommonArgs) ? false : undefined
  return {
    playbook,
    inventory: f.inventory.length ? f.inventory : ['/etc/ansible/hosts'],
    check: !!f.check,
    diff: !!f.diff,
    limit: f.limit as string | undefined,
    tags: split(f.tags),
    skipTags: split(f.skipTags),
    extraVars: Object.assign({}, ...f.extraVars.map((e) => parseExtraVars(e))),
    forks: f.forks as number,
    user: f.user as string | undefined,
    privateKey: f.privateKey as string | undefined,
    become: f.become ? true : undefined,
    becomeUser: f.becomeUser as string | undefined,
    verbosity: f.verbose,
    startAtTask: f.startAtTask as string | undefined,
    hostKeyChecking,
    slice: typeof f.slice === 'string' ? parseSlice(f.slice) : undefined,
  }
}

/** `exitCodeOf` lets `acplay check` map the summary to its detailed exit codes. */
export async function execute(playbook: string, f: Flags, exitCodeOf: (s: RunSummary) => number = (s) => s.exitCode): Promise<number> {
  reportFiles(f)
  const vault = await vaultFromFlags(f, { baseDir: dirname(resolve(playbook)) })
  // -e @file may be a vault file or hold !vault values
  const opts: RunOptions = { ...withVault(vault, () => toOptions(playbook, f)), vault }
  const loaded = await load(opts)
  if (f.syntaxCheck) {
    process.stdout.write(`\nplaybook: ${playbook}\n`)
    return 0
  }
  if (f.listHosts || f.listTasks) {
    process.stdout.write(`${(f.listHosts ? listHosts(loaded, opts) : listTasks(loaded, opts)).join('\n')}\n`)
    return 0
  }
  const summary = await run({ ...opts, reporters: await reportersFor(f, opts) }, loaded)
  return exitCodeOf(summary)
}
