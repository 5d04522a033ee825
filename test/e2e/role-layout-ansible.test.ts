/**
 * Where files and roles are found, and the magic variables, against Debian's ansible-playbook on a
 * real host: test/fixtures/role-layout has a role on roles_path (ansible.cfg), collection roles by
 * FQCN (the playbook's collections/ dir), a meta dependency, nested include_tasks, include_vars,
 * copy/template sources in the role's and the play's dirs, templates that include, import and
 * extend others, trim_blocks/lstrip_blocks, ansible_managed with ansible.cfg's string, and a file
 * of magic variable values. Both tools run it into their own dir on the same host; every file they
 * leave must be byte-identical, with the same changed count; acplay's second run changes nothing.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { acplay, capture, ROOT } from '../helpers/cli.js'
import { parseRecap } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const H = 'h1'

describe('role layout, search paths and magic variables as ansible-playbook has them', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const dir = mkdtempSync(join(tmpdir(), 'acplay-layout-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  cpSync(join(ROOT, 'test/fixtures/role-layout'), dir, { recursive: true })
  const env = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' }
  const args = (out: string, inventory: string) => [
    join(dir, 'site.yml'),
    '-i',
    inventory,
    '-e',
    `out=${out}`,
    '-f',
    '5',
    '--skip-tags',
    'nothing',
    '--limit',
    H,
  ]
  /** every file under `out` on the host: name, mode and content */
  const tree = async (out: string) => {
    const r = await bed().exec(H, `cd ${out} && for f in $(find . -type f | sort); do echo "== $f $(stat -c %a $f)"; cat $f; echo; done`)
    assert.equal(r.rc, 0, r.stderr)
    return r.stdout
  }

  it('both tools leave the same files, with the same changed count; acplay converges', async () => {
    const inventory = bed().inventory({ hosts: [H] })
    const [theirs, ours] = await Promise.all([
      capture(['ansible-playbook', ...args('/srv/ansible', inventory)], { cwd: dir, env: { ...env, ANSIBLE_LOCAL_TEMP: join(dir, '.ansible-tmp') } }),
      acplay(['run', ...args('/srv/acplay', inventory)], { cwd: dir, env }),
    ])
    assert.equal(theirs.code, 0, `ansible-playbook failed:\n${theirs.stdout}${theirs.stderr}`)
    assert.equal(ours.code, 0, `acplay failed:\n${ours.stdout}${ours.stderr}`)
    assert.equal(parseRecap(ours.stdout, H).changed, parseRecap(theirs.stdout, H).changed)
    const [a, b] = await Promise.all([tree('/srv/ansible'), tree('/srv/acplay')])
    assert.equal(b.replaceAll('/srv/acplay', '/srv/X'), a.replaceAll('/srv/ansible', '/srv/X'))
    // what the files say, so a change in both tools at once is still caught
    assert.match(b, /== \.\/motd\.txt 644\nfrom the base role's files\//)
    assert.match(
      b,
      /== \.\/helper-role\.json 644\n\{"role_name": "helper", "ansible_role_name": "acme\.tools\.helper", "parents": "undefined", "collection": "acme\.tools"\}/,
    )
    assert.match(b, /== \.\/base\.conf 644\n#\n# Managed by acme: base\.conf\.j2\n#\n\[base\]\n {4}a = from the role's vars\/os\.yml\n/)
    assert.match(b, /== \.\/sidekick-parents\.json 644\n\{"parents": \["base"\]/)
    const magic = JSON.parse(/== \.\/magic\.json 644\n(.*)\n/.exec(b)![1]!)
    assert.deepEqual(magic.version, { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 })
    assert.deepEqual(
      [magic.play_role_names, magic.dependent_role_names, magic.skip_tags, magic.forks],
      [['base', 'acme.tools.sidekick', 'acme.tools.helper'], ['acme.tools.sidekick'], ['nothing'], 5],
    )
    assert.equal(magic.config_file, join(dir, 'ansible.cfg'))
    const again = await acplay(['run', ...args('/srv/acplay', inventory)], { cwd: dir, env })
    assert.equal(parseRecap(again.stdout, H).changed, 0, again.stdout)
  })

  it('a missing file or role is an error naming the task file:line and every place tried', async () => {
    const inventory = bed().inventory({ hosts: [H] })
    writeFileSync(
      join(dir, 'missing-src.yml'),
      '- hosts: all\n  gather_facts: false\n  roles: [base]\n  tasks:\n    - copy: { src: nope.txt, dest: /tmp/nope }\n',
    )
    const r = await acplay(['run', join(dir, 'missing-src.yml'), '-i', inventory, '-e', 'out=/srv/acplay'], { cwd: dir, env })
    assert.notEqual(r.code, 0)
    const file = join(dir, 'missing-src.yml')
    assert.ok(
      r.stdout.includes(`E_FILE_NOT_FOUND: ${file}:5:7: could not find or access 'nope.txt' (searched: ${dir}/files/nope.txt, ${dir}/nope.txt)`),
      r.stdout,
    )
    writeFileSync(join(dir, 'missing-role.yml'), '- hosts: all\n  gather_facts: false\n  roles:\n    - acme.tools.nope\n')
    const m = await acplay(['run', join(dir, 'missing-role.yml'), '-i', inventory], { cwd: dir, env })
    assert.equal(m.code, 4)
    assert.match(
      m.stderr,
      new RegExp(
        `${join(dir, 'missing-role.yml')}:4:7: role 'acme\\.tools\\.nope' not found \\(searched: ${dir}/collections/ansible_collections/acme/tools/roles/nope, `,
      ),
    )
    assert.ok(m.stderr.includes(`${dir}/installed/acme.tools.nope`), 'roles_path from ansible.cfg is searched')
  })
})
