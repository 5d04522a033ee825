/** The YAML hook: `!vault` values anywhere in a document, whole vault files, and what becomes secret. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { vaultYaml } from '../../../engine/cli/vault-command.js'
import { loadInventory } from '../../../engine/inventory/index.js'
import { parseYaml, readYamlData, toJS } from '../../../engine/playbook/yaml-source.js'
import { parseExtraVars } from '../../../engine/vars/extra-vars.js'
import { withVault } from '../../../engine/vault/context.js'
import { readControlFile } from '../../../engine/vault/files.js'
import { Vault } from '../../../engine/vault/vault.js'

const vault = new Vault([{ id: 'default', password: Buffer.from('pw'), source: 'pw-file' }])
const indent = (text: string, n: number) => text.replace(/\n/g, `\n${' '.repeat(n)}`)
const revealed = (v: Vault) => {
  const seen: string[] = []
  v.onReveal((s) => seen.push(s))()
  return seen
}

describe('vault values in YAML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-vault-yaml-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('!vault values in mappings, lists and through aliases decrypt to strings; they become secrets', () => {
    const v = new Vault(vault.secrets)
    const text = `a: ${indent(vaultYaml(v.encrypt('alpha')), 2)}
list:
  - plain
  - ${indent(vaultYaml(v.encrypt('beta')), 4)}
anchored: &x ${indent(vaultYaml(v.encrypt('gamma')), 2)}
again: *x
`
    const data = withVault(v, () => readYamlData(text, 'f.yml'))
    assert.deepEqual(data, { a: 'alpha', list: ['plain', 'beta'], anchored: 'gamma', again: 'gamma' })
    assert.deepEqual(revealed(v).sort(), ['alpha', 'beta', 'gamma'])
  })

  it('a whole vault file: its string values are secrets, not its keys, numbers or booleans', () => {
    const v = new Vault(vault.secrets)
    const src = withVault(v, () => parseYaml(v.encrypt('user: app\nport: 5432\nenabled: yes\nnested: { key: deep value }\n'), 'vars.yml'))
    assert.deepEqual(toJS(src, src.doc.contents as never), { user: 'app', port: 5432, enabled: true, nested: { key: 'deep value' } })
    assert.deepEqual(revealed(v).sort(), ['app', 'deep value'])
  })

  it('errors name file:line:col of the !vault value; without a vault the message says which option to pass', () => {
    const text = `x: 1\ny: ${indent(vaultYaml(vault.encrypt('s')), 2)}\n`
    const wrong = new Vault([{ id: 'default', password: Buffer.from('other'), source: 'other-file' }])
    assert.throws(
      () => withVault(wrong, () => parseYaml(text, 'g.yml')),
      (e: Error & { describe(): string }) => e.describe().startsWith('E_VAULT: g.yml:2:11: Decryption failed (no vault secrets were found that could decrypt)'),
    )
    assert.throws(() => parseYaml(text, 'g.yml'), /no vault password was given: pass --vault-password-file/)
    assert.throws(
      () => withVault(vault, () => parseYaml('x: !vault plaintext-by-mistake\n', 'h.yml')),
      (e: Error & { describe(): string }) =>
        e.describe() === "E_VAULT: h.yml:1:11: not valid vault data: it does not start with a '$ANSIBLE_VAULT;version;cipher' header",
    )
  })

  it('-e @file and a vault-encrypted INI inventory', async () => {
    writeFileSync(join(dir, 'extra.yml'), vault.encrypt('from_extra: e-value\n'))
    assert.deepEqual(
      withVault(vault, () => parseExtraVars(`@${join(dir, 'extra.yml')}`)),
      { from_extra: 'e-value' },
    )
    writeFileSync(join(dir, 'hosts.ini'), vault.encrypt('[web]\nw1 ansible_host=10.231.9.9\n'))
    const inv = await withVault(vault, () => loadInventory([join(dir, 'hosts.ini')]))
    assert.equal(inv.hostVars('w1').ansible_host, '10.231.9.9')
  })

  it('copy/template sources: a vault file is decrypted unless decrypt is false; a plain file needs no vault', () => {
    writeFileSync(join(dir, 'src.txt'), vault.encrypt('file body\n'))
    writeFileSync(join(dir, 'plain.txt'), 'plain body\n')
    const read = withVault(vault, () => readControlFile(join(dir, 'src.txt')))
    assert.deepEqual([read.content.toString(), read.vaulted], ['file body\n', true])
    const raw = readControlFile(join(dir, 'src.txt'), { decrypt: false })
    assert.deepEqual([raw.content.toString().split('\n')[0], raw.vaulted], ['$ANSIBLE_VAULT;1.1;AES256', false])
    assert.equal(readControlFile(join(dir, 'plain.txt')).content.toString(), 'plain body\n')
    assert.throws(
      () => readControlFile(join(dir, 'src.txt')),
      (e: Error & { describe(): string }) => e.describe().startsWith(`E_VAULT: ${join(dir, 'src.txt')}: `),
    )
  })
})
