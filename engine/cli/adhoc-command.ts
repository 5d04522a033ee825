/**
 * `acplay adhoc PATTERN -m MODULE -a ARGS`: one module on the hosts a pattern selects, as `ansible`
 * runs it (a play "Ansible Ad-Hoc" without fact gathering: its one task takes -a free-form for
 * command, shell, raw and script, as `key=value` pairs for the others), printed as ansible prints it.
 */
import { Command } from 'commander'
import { join, resolve } from 'node:path'
import { expanduser, expandvars } from '../vars/py-path.js'
import { loadInventory } from '../inventory/index.js'
import { isEngineAction } from '../actions/names.js'
import { labelSource, optionError } from '../errors.js'
import { loadModules } from '../library/load.js'
import { didYouMean } from '../playbook/suggest.js'
import { moduleNames, resolveModuleName } from '../../modules/index.js'
import { loadPlaybookText } from '../playbook/load.js'
import { adhocReporter } from '../report/adhoc.js'
import { verboseAlways } from '../report/shown-result.js'
import { run } from '../run.js'
import { checkHostList } from '../run/targets.js'
import { sourceFor } from '../config/settings.js'
import { warningLine } from '../report/format.js'
import type { RunOptions } from '../run/options.js'
import { withVault } from '../vault/context.js'
import { cliPasswords } from './cli-passwords.js'
import { addHostOptions, toOptions, type Flags } from './run-command.js'
import { vaultFromFlags } from './vault-options.js'

export function adhocCommand(): Command {
  const cmd = new Command('adhoc')
    .description('run one module on the hosts a pattern selects, as the `ansible` command does')
    .argument('<pattern>', 'host pattern (all, a group, web:&prod, ...)')
    .option('-m, --module-name <name>', 'the module to run', 'command')
    .option('-a, --args <args>', 'its arguments: free-form for command/shell/raw/script, else key=value pairs')
    .option('-o, --one-line', 'one line per host')
    .option('-t, --tree <dir>', "write each host's result as JSON to DIR/HOST (ansible's tree callback)")
    .option('-B, --background <seconds>', 'run asynchronously, failing after SECONDS (the module runs as a job in the background on the host)')
    .option('-P, --poll <interval>', 'with -B: poll every INTERVAL seconds; 0 starts the job and does not wait (default 15)')
    .option('--task-timeout <seconds>', "fail the task after SECONDS (the task's timeout keyword)")
    .option('--playbook-dir <dir>', 'act as a playbook in DIR: its group_vars/, host_vars/, library/ and relative paths (default: the current directory)')
  return addHostOptions(cmd)
}

/** Ansible's MODULE_REQUIRE_ARGS: these refuse to run without -a. */
const REQUIRE_ARGS = new Set(['command', 'shell', 'raw', 'script'])

/** -a as Ansible reads it: a JSON object when it is one, else the text (key=value pairs, or a free-form command). */
function moduleArgs(args: string | undefined): unknown {
  if (args === undefined) return null
  if (args.trim().startsWith('{')) {
    try {
      return JSON.parse(args)
    } catch {
      // not JSON: key=value text that starts with a brace
    }
  }
  return args
}

const seconds = (flag: string, v: string) => {
  if (!/^\d+$/.test(v.trim())) throw optionError(`${flag} needs a whole number of seconds, got '${v}'`)
  return Number(v)
}

/** -B and -P as the task's async and poll (ansible: -B 0 is no background; -P defaults to 15); --task-timeout as its timeout. */
function taskKeywords(f: { background?: string; poll?: string; taskTimeout?: string }): string {
  const async = f.background === undefined ? 0 : seconds('-B/--background', f.background)
  const poll = f.poll === undefined ? 15 : seconds('-P/--poll', f.poll)
  const timeout = f.taskTimeout === undefined ? 0 : seconds('--task-timeout', f.taskTimeout)
  return (async > 0 ? `\n      async: ${async}\n      poll: ${poll}` : '') + (timeout > 0 ? `\n      timeout: ${timeout}` : '')
}

export async function executeAdhoc(
  pattern: string,
  f: Flags & {
    moduleName: string
    args?: string
    oneLine?: boolean
    tree?: string
    background?: string
    poll?: string
    taskTimeout?: string
    playbookDir?: string
  },
): Promise<number> {
  const here = resolve(f.playbookDir ?? process.cwd())
  const module = f.moduleName
  // a playbook named in the working directory: ansible.cfg, group_vars/ and relative paths are found there
  const playbook = join(here, 'acplay-adhoc')
  // its errors name what the user typed, not the play acplay writes for it
  labelSource(playbook, `-m ${module}${f.args === undefined ? '' : ` -a ${JSON.stringify(f.args)}`}`)
  const vault = await vaultFromFlags(f, { baseDir: here })
  const opts: RunOptions = {
    ...withVault(vault, () => toOptions(playbook, { ...f, tags: [], skipTags: [] })),
    vault,
    moduleResults: true,
    hostPattern: pattern,
    ...(await cliPasswords(f)),
  }
  const inventory = await withVault(vault, () => loadInventory(opts.inventory, { playbookDir: here }))
  if (f.listHosts) {
    checkHostList(inventory, opts, sourceFor(here), (m) => process.stderr.write(`${warningLine(m)}\n`))
    const hosts = inventory.select(pattern, opts.limit)
    process.stdout.write(`  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h}\n`).join('')}`)
    return 0
  }
  if (!f.args && REQUIRE_ARGS.has(module.replace(/^ansible\.(builtin|legacy)\./, ''))) throw optionError(`No argument passed to ${module} module`)
  const { modules } = await loadModules(here, { modulePath: opts.modulePath })
  if (!resolveModuleName(module, modules) && !isEngineAction(module))
    throw optionError(`no module named '${module}'${didYouMean(module, [...moduleNames(modules).keys()])} (acplay doc lists them)`)
  const text = `- name: Ansible Ad-Hoc\n  hosts: ${JSON.stringify(pattern)}\n  gather_facts: false\n  tasks:\n    - ${JSON.stringify(module)}: ${JSON.stringify(moduleArgs(f.args))}${taskKeywords(f)}\n`
  const loaded = { modules, inventory, playbook: withVault(vault, () => loadPlaybookText(text, playbook, { modules })) }
  const task = loaded.playbook.plays[0]!.tasks[0]!
  // -t's directory as Ansible's unfrackpath makes it
  const tree = f.tree === undefined ? undefined : resolve(expanduser(expandvars(f.tree)))
  const summary = await run(
    { ...opts, reporters: [adhocReporter(module, { oneLine: !!f.oneLine, verbose: task.kind === 'module' && verboseAlways(module, task.args), tree })] },
    loaded,
  )
  return summary.exitCode
}
