/**
 * `-i` sources as Ansible reads them: a comma-separated host list (`h1,h2,`), an executable
 * script (script.ts), an inventory file (YAML by extension, INI otherwise, sniffed when it has none;
 * `plugin: constructed` in YAML: constructed.ts), or a directory of them.
 */
import { constants } from 'node:fs'
import { access, readdir, readFile, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { AcplayError, inventoryError } from '../errors.js'
import type { InventoryBuilder } from './data.js'
import { splitPort } from './host-pattern.js'
import { parseIni } from './ini.js'
import { isInventoryMapping, parseYamlInventory, parseYamlSource } from './yaml.js'
import { decryptIfVaulted } from '../vault/files.js'
import { readScript } from './script.js'

const isExecutable = (file: string): Promise<boolean> =>
  access(file, constants.X_OK).then(
    () => true,
    () => false,
  )

// Ansible's IGNORED_ALWAYS plus the default INVENTORY_IGNORE_EXTS
const IGNORED_NAMES = /^(?:\..*|host_vars|group_vars|vars_plugins)$/
/** ansible.cfg's default `inventory` (config/settings.ts DEFAULT_HOST_LIST) */
const DEFAULT_SOURCE = '/etc/ansible/hosts'
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry']
const YAML_EXTS = new Set(['.yml', '.yaml', '.json'])

/**
 * Parses every source into `inv`. Returns the directories whose group_vars/ and host_vars/
 * belong to the inventory (a file's directory, a directory source itself), in source order.
 */
export async function readSources(sources: string[], inv: InventoryBuilder): Promise<string[]> {
  const varsDirs: string[] = []
  let parsed = 0
  for (const source of sources) {
    const st = await stat(source).catch((e: NodeJS.ErrnoException) => e)
    if (st instanceof Error) {
      if (source.includes(',')) {
        readHostList(source, inv)
        parsed++
        continue
      }
      // Ansible only warns here (a run with no inventory still has the implicit localhost), and
      // says nothing of its default source when that file is absent
      if (source === DEFAULT_SOURCE && st.code === 'ENOENT') continue
      const hint = st.code === 'ENOENT' ? " (for a single host without an inventory file, add a comma: -i 'host,')" : ''
      inv.warnings.push(`unable to read inventory source ${source}: ${st.code ?? st.message}${hint}`)
      continue
    }
    if (st.isDirectory()) {
      await readDir(source, inv)
      varsDirs.push(source)
    } else {
      await readFileSource(source, inv)
      varsDirs.push(dirname(source))
    }
    parsed++
  }
  if (sources.length > 0 && parsed === 0) inv.warnings.push('No inventory was parsed, only implicit localhost is available')
  return varsDirs
}

/** `-i 'h1,h2:2222,'`: each name goes to `ungrouped` (Ansible's host_list plugin: no ranges). */
function readHostList(list: string, inv: InventoryBuilder): void {
  for (const item of list.split(',')) {
    const spec = item.trim()
    if (!spec || inv.hosts.has(splitPort(spec).host)) continue
    const { host, port } = splitPort(spec)
    inv.addHost(host, 'ungrouped', port)
  }
}

async function readDir(dir: string, inv: InventoryBuilder): Promise<void> {
  for (const entry of (await readdir(dir)).sort()) {
    if (IGNORED_NAMES.test(entry) || IGNORED_EXTS.some((x) => entry.endsWith(x))) continue
    const path = join(dir, entry)
    const st = await stat(path)
    if (st.isDirectory()) await readDir(path, inv)
    else await readFileSource(path, inv)
  }
}

async function readFileSource(file: string, inv: InventoryBuilder): Promise<void> {
  // Ansible's script plugin comes before the file formats: an executable source is run
  if (await isExecutable(file)) return readScript(file, inv)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw inventoryError(`cannot read inventory file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file })
  }
  const ext = extname(file).toLowerCase()
  if (YAML_EXTS.has(ext)) return parseYamlInventory(parseYamlSource(text, file), inv)
  if (ext === '') {
    // Ansible tries its YAML plugin before INI for files without an extension
    let src: ReturnType<typeof parseYamlSource> | undefined
    try {
      src = parseYamlSource(text, file)
    } catch (e) {
      if (!(e instanceof AcplayError)) throw e
    }
    if (src && isInventoryMapping(src)) return parseYamlInventory(src, inv)
  }
  // YAML decrypts a vault file itself (and marks its values secret); an INI file is decrypted here
  parseIni(decryptIfVaulted(text, file).text, file, inv)
}
