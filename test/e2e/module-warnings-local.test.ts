/**
 * A module's warnings and deprecations against Debian's ansible-playbook (local connection): a
 * module in library/ that warns (AnsibleModule.warn / deprecate), once, in a loop, and with the
 * same text on two hosts. Both tools print the same [WARNING] and [DEPRECATION WARNING] lines on
 * stderr, wrapped at 79 columns as Ansible's Display wraps them (a long path, hyphenated words, a
 * tab), register keeps them (a loop's go to the loop's result); no_log and action_warnings=False hide them.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const MODULE = `#!/usr/bin/python3
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(word=dict(type='str', required=True)))
m.warn('the word is %s' % m.params['word'])
if m.params['word'] == 'long':
    m.warn('a long one:\t/srv/' + 'x' * 90 + ' then well-known self-contained re-entrant words ' * 2 + 'end')
if m.params['word'] == 'old':
    m.deprecate('old words go away', version='3.0.0', collection_name='acme.words')
m.exit_json(changed=False, word=m.params['word'])
`

/** the long warning as the module gives it (register keeps it unwrapped) */
const LONG = `a long one:\t/srv/${'x'.repeat(90)}${' then well-known self-contained re-entrant words '.repeat(2)}end`

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: one warning and a deprecation
      speak: { word: old }
      register: one
    - name: a loop
      speak: { word: "{{ item }}" }
      loop: [a, b, long]
      register: many
    - name: what register keeps
      debug:
        msg: "{{ {'one': one.warnings, 'dep': one.deprecations | map(attribute='msg') | list, 'loop': many.warnings, 'items': many.results | map('dict2items') | map('map', attribute='key') | map('select', 'in', ['warnings', 'deprecations']) | map('list') | list} }}"
      when: inventory_hostname == 'a'
    - name: no_log hides them
      speak: { word: secret }
      no_log: true
    - name: a loop under no_log too
      speak: { word: "{{ item }}" }
      loop: [hidden]
      no_log: true
`

/** The warnings on stderr, each with the lines Ansible's Display wrapped it to (at 79 columns). */
function warningLines(stderr: string): string[] {
  const out: string[] = []
  for (const line of stderr.split('\n')) {
    if (/^\[(DEPRECATION )?WARNING\]/.test(line)) out.push(line)
    else if (line.trim() && out.length && !/^\[/.test(line)) out[out.length - 1] += `\n${line}`
  }
  return out
}

describe("a module's warnings and deprecations, as ansible-playbook shows them (local)", () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-warnings-'))
    mkdirSync(join(dir, 'library'))
    writeFileSync(join(dir, 'library', 'speak.py'), MODULE)
    writeFileSync(join(dir, 'hosts.ini'), 'a ansible_connection=local\nb ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const both = (extraEnv: Record<string, string> = {}) => {
    const args = [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]
    const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ...extraEnv }
    return Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
  }

  it('the same lines on stderr, each text once; register keeps them', async () => {
    const [ours, theirs] = await both()
    assert.equal(ours.code, 0, ours.stderr)
    assert.equal(theirs.code, 0, theirs.stderr)
    // Ansible's Display wraps at 79 columns (stdout is no terminal here): a deprecation keeps the
    // spaces at its breaks; a tab becomes spaces, a long word and a hyphenated one are broken
    const expected = [
      '[WARNING]: the word is old',
      '[DEPRECATION WARNING]: old words go away. This feature will be removed from \n' +
        'acme.words in version 3.0.0. Deprecation warnings can be disabled by setting \n' +
        'deprecation_warnings=False in ansible.cfg.',
      '[WARNING]: the word is a',
      '[WARNING]: the word is b',
      '[WARNING]: the word is long',
      `[WARNING]: a long one:  /srv/${'x'.repeat(50)}\n${'x'.repeat(40)} then well-known self-contained re-\n` +
        'entrant words  then well-known self-contained re-entrant words end',
    ]
    assert.deepEqual(warningLines(theirs.stderr), expected)
    assert.deepEqual(warningLines(ours.stderr), expected)
    const msg = (out: string) => out.match(/"msg": (\{[\s\S]*?\n {4}\})/)?.[1]
    assert.ok(msg(theirs.stdout), theirs.stdout)
    assert.deepEqual(JSON.parse(msg(ours.stdout)!), JSON.parse(msg(theirs.stdout)!))
    assert.deepEqual(JSON.parse(msg(ours.stdout)!), {
      one: ['the word is old'],
      dep: ['old words go away'],
      loop: ['the word is a', 'the word is b', 'the word is long', LONG],
      items: [[], [], []],
    })
  })

  it('action_warnings=False: none shown', async () => {
    const [ours, theirs] = await both({ ANSIBLE_ACTION_WARNINGS: 'False' })
    assert.deepEqual(warningLines(theirs.stderr), [])
    assert.deepEqual(warningLines(ours.stderr), [])
  })
})
