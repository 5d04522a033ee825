/** `acplay doc [NAME...]`: the module list, or each named module's page, generated from the specs. */
import { Command } from 'commander'
import { dirname, resolve } from 'node:path'
import { unknownModule } from '../errors.js'
import { loadModules } from '../library/load.js'
import { moduleDoc } from '../doc/model.js'
import { moduleListText, moduleText } from '../doc/text.js'
import { didYouMean } from '../playbook/suggest.js'
import { moduleNames, resolveModuleName } from '../../modules/index.js'

export interface DocFlags {
  playbook?: string
  json?: boolean
}

export function docCommand(): Command {
  return new Command('doc')
    .description('show module documentation: the list, or the modules named (built-in and custom)')
    .argument('[names...]', 'module names (short, alias or FQCN)')
    .option('-p, --playbook <file>', "include this playbook's custom modules (default: library/, acplay.config.json, ansible.cfg in the current directory)")
    .option('--json', 'print the documentation as JSON')
}

export async function executeDoc(names: string[], f: DocFlags): Promise<number> {
  const baseDir = f.playbook ? dirname(resolve(f.playbook)) : process.cwd()
  const { modules } = await loadModules(baseDir)
  const specs = names.map((n) => {
    const canonical = resolveModuleName(n, modules)
    if (!canonical) throw unknownModule(`no module named '${n}'${didYouMean(n, [...moduleNames(modules).keys()])} (acplay doc lists them)`)
    return modules[canonical]!
  })
  if (f.json) {
    const docs = (specs.length ? specs : Object.values(modules)).map(moduleDoc)
    process.stdout.write(`${JSON.stringify(names.length ? docs : docs.map((d) => ({ name: d.name, summary: d.summary, file: d.file })), null, 2)}\n`)
  } else {
    process.stdout.write(specs.length ? specs.map(moduleText).join('\n') : moduleListText(modules))
  }
  return 0
}
