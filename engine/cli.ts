/** Argument parsing only: builds RunOptions and hands them to run.ts. Exit codes as ansible-playbook. */
import { Command, CommanderError } from 'commander'
import { readFileSync } from 'node:fs'
import { AcplayError, optionError } from './errors.js'
import { execute, runCommand, type Flags } from './cli/run-command.js'
import { docCommand, executeDoc, type DocFlags } from './cli/doc-command.js'
import { checkCommand, executeCheck, executeDetailed } from './cli/check-command.js'
import { vaultCommand } from './cli/vault-command.js'
import { reportCommand } from './cli/report-command.js'
import { executeInventory, inventoryCommand, type InventoryFlags } from './cli/inventory-command.js'
import { adhocCommand, executeAdhoc } from './cli/adhoc-command.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

export async function main(argv: string[]): Promise<number> {
  let code = 0
  let verbosity = 0
  const action =
    <A extends unknown[]>(fn: (...a: A) => Promise<number>) =>
    async (...a: A) => {
      code = await fn(...a)
    }
  const program = new Command('acplay')
    .description('Ansible-style playbooks, fast: idempotent modules over one SSH connection per host.')
    .version(pkg.version)
    .addHelpText(
      'after',
      `
Vault: encrypted files and !vault values are read wherever acplay reads YAML (and copy/template
src). Passwords: --vault-password-file FILE (a file, or an executable printing it), --vault-id
[label@]source (repeatable), --ask-vault-pass, ANSIBLE_VAULT_PASSWORD_FILE, or ansible.cfg.
Decrypted values are masked in all output. 'acplay vault' encrypts and decrypts like ansible-vault.`,
    )
    .exitOverride()
  program.addCommand(
    runCommand('run', 'run a playbook against an inventory').action(
      action(async (playbook: string, f: Flags) => {
        verbosity = f.verbose
        if (!f.detailedExitcode) return execute(playbook, f)
        if (!f.check) throw optionError('--detailed-exitcode needs --check (the exit code says whether anything would change)')
        return executeDetailed(playbook, f)
      }),
    ),
  )
  program.addCommand(
    checkCommand().action(
      action(async (playbook: string, f: Flags) => {
        verbosity = f.verbose
        return executeCheck(playbook, f)
      }),
    ),
  )
  program.addCommand(docCommand().action(action((names: string[], f: DocFlags) => executeDoc(names, f))))
  program.addCommand(
    adhocCommand().action(
      action(async (pattern: string, f: Parameters<typeof executeAdhoc>[1]) => {
        verbosity = f.verbose
        return executeAdhoc(pattern, f)
      }),
    ),
  )
  program.addCommand(inventoryCommand().action(action((f: InventoryFlags) => executeInventory(f))))
  program.addCommand(vaultCommand(action))
  program.addCommand(reportCommand(action))
  for (const c of program.commands) c.exitOverride()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0
      return 5
    }
    if (e instanceof AcplayError) {
      process.stderr.write(`ERROR! ${e.describe()}\n`)
      if (verbosity >= 3) process.stderr.write(`${e.stack}\n`)
      return e.exitCode
    }
    process.stderr.write(`ERROR! ${e instanceof Error ? (verbosity >= 3 ? e.stack : e.message) : String(e)}\n`)
    return 1
  }
}
