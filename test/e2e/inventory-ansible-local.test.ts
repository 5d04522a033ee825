/**
 * Inventories as ansible-inventory reads them (Debian's ansible, no hosts needed): a directory with
 * an INI file without extension, a skipped .ini, executable scripts (with _meta, and without: one
 * `--host` call per host), constructed configs (compose, groups, keyed_groups with prefixes,
 * separators, default_value, trailing_separator, parent_group; strict). `acplay inventory --list /
 * --graph / --host` must print what `ansible-inventory` prints, byte for byte.
 */
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const FILES: Record<string, string> = {
  '01-hosts': '[web]\nw1 role=api env=prod\nw2 role=db env=dev\n[db]\nw2\n[all:vars]\nregion=eu\n',
  '02-skipped.ini': '[never]\nnot-read\n',
  '03-script.sh': `#!/bin/sh
if [ "$1" = "--list" ]; then
cat <<'J'
{"scripted": {"hosts": ["s1", "s2"], "vars": {"tier": "back"}, "children": ["sub"]},
 "sub": ["s3"],
 "_meta": {"hostvars": {"s1": {"ansible_host": "10.231.9.1", "role": "api"}, "s3": {"env": "prod"}}}}
J
else echo '{}'; fi
`,
  '04-nometa.sh': `#!/bin/sh
case "$1" in
  --list) echo '{"legacy": ["l1", "l2"]}' ;;
  --host) printf '{"asked_for": "%s"}\\n' "$2" ;;
esac
`,
  '05-constructed.yml': `plugin: constructed
strict: false
compose:
  is_prod: env == "prod"
  label: inventory_hostname ~ '-' ~ (role | default('none'))
  broken: no_such_var + 1
groups:
  production: env == "prod"
  has_ip: ansible_host is defined
keyed_groups:
  - key: role
    prefix: role
  - key: env
    separator: ""
  - key: group_names
    prefix: member
  - key: "{'tier': tier | default('')}"
    separator: '-'
    default_value: untiered
    parent_group: tiers
  - key: "{'zone': ''}"
    trailing_separator: false
`,
}

const RUNS = [['--list'], ['--graph'], ['--graph', 'tiers'], ['--host', 's1'], ['--host', 'w2'], ['--host', 'l2']]

describe('inventories as ansible-inventory reads them (scripts, constructed, directories)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-inv-'))
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text)
    chmodSync(join(dir, '03-script.sh'), 0o755)
    chmodSync(join(dir, '04-nometa.sh'), 0o755)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('acplay inventory prints what ansible-inventory prints', async () => {
    for (const extra of RUNS) {
      const [ours, theirs] = await Promise.all([acplay(['inventory', '-i', dir, ...extra]), capture(['ansible-inventory', '-i', dir, ...extra])])
      assert.equal(theirs.code, 0, theirs.stderr)
      assert.equal(ours.code, 0, ours.stderr)
      assert.equal(ours.stdout, theirs.stdout, extra.join(' '))
    }
  })

  it('group names with invalid characters: kept or replaced as force_valid_group_names says, with a warning', async () => {
    const ini = join(dir, 'dashes.ini')
    // (no [x:children] naming such a group: Ansible 2.14's ini plugin then fails under 'always', as it looks the old name up)
    writeFileSync(ini, '[tomcat-servers]\nt1\n[tomcat-servers:vars]\nport=8080\n[app.v2]\nt2\n')
    for (const mode of ['never', 'always', 'ignore', 'silently']) {
      const env = { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: mode }
      const [ours, theirs] = await Promise.all([
        acplay(['inventory', '-i', ini, '--list'], { env }),
        capture(['ansible-inventory', '-i', ini, '--list'], { env }),
      ])
      assert.equal(theirs.code, 0, theirs.stderr)
      assert.equal(ours.stdout, theirs.stdout, mode)
      const warned = (out: string) => /Invalid characters were found in group names/.test(out.replace(/\s+/g, ' '))
      assert.equal(warned(ours.stderr), warned(theirs.stderr), `${mode}: ${ours.stderr} / ${theirs.stderr}`)
      assert.equal(warned(ours.stderr), mode === 'never' || mode === 'always', mode)
    }
    rmSync(ini)
  })

  it('a playbook runs on the groups a script and a constructed config make', async () => {
    // beside the inventory directory, not in it (it would be read as an inventory source)
    const play = `${dir}-play.yml`
    writeFileSync(
      play,
      '- hosts: production:legacy\n  gather_facts: false\n  connection: local\n  tasks:\n    - debug: { msg: "{{ label | default(asked_for) }}" }\n',
    )
    const r = await acplay(['run', play, '-i', dir, '--list-hosts'])
    assert.equal(r.code, 0, r.stderr)
    rmSync(play)
    assert.match(r.stdout, /hosts \(4\):\s+w1\s+s3\s+l1\s+l2/)
  })

  it('errors name the source: a failing script, a strict constructed config, a plugin acplay lacks', async () => {
    const failing = join(dir, 'failing.sh')
    writeFileSync(failing, '#!/bin/sh\necho "no API token" >&2\nexit 3\n')
    chmodSync(failing, 0o755)
    let r = await acplay(['inventory', '-i', failing, '--list'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /failing\.sh.*inventory script had an execution error \(--list\): no API token/)
    const strict = join(dir, 'strict.yml')
    writeFileSync(strict, 'plugin: constructed\nstrict: true\ncompose:\n  x: nope + 1\n')
    r = await acplay(['inventory', '-i', join(dir, '01-hosts'), '-i', strict, '--list'])
    assert.match(r.stderr, /strict\.yml:1:1: Could not set x for host w1: .*'nope' is undefined/)
    const aws = join(dir, 'aws_ec2.yml')
    writeFileSync(aws, 'plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n')
    r = await acplay(['inventory', '-i', aws, '--list'])
    assert.match(r.stderr, /aws_ec2\.yml:1:9: inventory plugin 'amazon.aws.aws_ec2' is not supported/)
    for (const out of [r.stderr]) assert.ok(!/\n\s+at /.test(out), out)
  })
})
