/**
 * Filters, tests and lookups acplay lacks run in the controller's Ansible (engine/library/python-plugins.ts),
 * against Debian's ansible-playbook (local connection): collections' filters (ansible.utils),
 * a test, lookups by FQCN (community.general, ansible.utils) and a with_ loop over one, a lookup
 * that fails with errors='ignore', and names nobody has: the same values, statuses and recap.
 */
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    data: {a: {b: [1, 2, {c: x}]}, d: [3, 4]}
    users: [{name: ann, groups: [a, b]}, {name: bob, groups: [c]}]
  tasks:
    - name: values
      debug:
        msg:
          paths: "{{ data | ansible.utils.to_paths }}"
          keep: "{{ users | ansible.utils.keep_keys(target=['name']) }}"
          index: "{{ [1, 2, 3, 2] | ansible.utils.index_of('eq', 2) }}"
          mac: "{{ '00:11:22:33:44:55' | ansible.utils.macaddr('cisco') }}"
          in_net: "{{ '10.1.2.3' is ansible.utils.in_network('10.0.0.0/8') }}"
          mapped: "{{ users | map('ansible.utils.keep_keys', target=['groups']) | list }}"
          dependent: "{{ lookup('community.general.dependent', dict(x=[1, 2]), dict(y='[item.x * 10]'), wantlist=true) }}"
          version: "{{ lookup('community.general.collection_version', 'community.general') is string }}"
          get_path: "{{ lookup('ansible.utils.get_path', data, 'a.b[2].c') }}"
          ignored: "{{ lookup('ansible.utils.get_path', data, 'no.such[path', errors='ignore') is none }}"
    - name: a loop over a collection's lookup
      debug: { msg: "{{ item }}" }
      with_ansible.utils.to_paths: "{{ [data] }}"
    - name: a filter nobody has
      debug: { msg: "{{ 'x' | acme.nothing.filter }}" }
      ignore_errors: true
    - name: a lookup nobody has
      debug: { msg: "{{ lookup('nosuchlookup', 'x') }}" }
      ignore_errors: true
`

/** What each task printed per host (status and msg), from ansible-playbook's json callback or acplay's --json. */
type Seen = Record<string, { status: string; msg?: unknown }>

describe('filters, tests and lookups acplay lacks, run by the controller’s Ansible', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('pyplugins', { 'site.yml': PLAYBOOK })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same values, statuses and recap as ansible-playbook', async () => {
    const { ours, theirs, doc, ansible: json } = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.equal(ours.code, 0, ours.stderr)
    assert.equal(theirs.code, 0, theirs.stderr)
    const ansible = json as unknown as {
      plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown; failed?: boolean; results?: { msg: unknown }[] }> }[] }[]
      stats: Record<string, Record<string, number>>
    }
    const theirsSeen: Seen = {}
    for (const t of ansible.plays[0]!.tasks) {
      const h = t.hosts.localhost!
      theirsSeen[t.task.name] = { status: h.failed ? 'failed' : 'ok', msg: h.results ? h.results.map((r) => r.msg) : h.msg }
    }
    const oursSeen: Seen = {}
    for (const r of doc.results) oursSeen[r.task.name] = { status: r.status, msg: r.status === 'failed' ? undefined : r.output }
    // the values the plugins gave, compared whole; failures by status (the messages are each tool's own)
    assert.deepEqual(oursSeen.values, theirsSeen.values)
    assert.deepEqual((theirsSeen.values!.msg as Record<string, unknown>).get_path, 'x')
    assert.equal(oursSeen['a filter nobody has']!.status, 'failed')
    assert.equal(theirsSeen['a filter nobody has']!.status, 'failed')
    assert.equal(oursSeen['a lookup nobody has']!.status, 'failed')
    assert.equal(theirsSeen['a lookup nobody has']!.status, 'failed')
    assert.match(ours.stdout, /acme\.nothing/)
    assert.deepEqual(theirs.code, ours.code)
    const loop = "a loop over a collection's lookup"
    assert.equal(doc.results.find((r) => r.task.name === loop)!.items, (theirsSeen[loop]!.msg as unknown[]).length)
    assert.deepEqual(ansible.stats.localhost, { changed: 0, failures: 0, ignored: 2, ok: 4, rescued: 0, skipped: 0, unreachable: 0 })
    assert.deepEqual(doc.recap, [{ host: 'localhost', ok: 4, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 2 }])
  })

  it('a run that names no such plugin starts no Python on the controller (a start-up cost every run paid)', async () => {
    // a python3 first on PATH that leaves a mark and fails: acplay tries it before /usr/bin/python3
    const bin = mkdtempSync(join(tmpdir(), 'acplay-nopython-'))
    const mark = join(bin, 'started')
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho "$@" >> '${mark}'\nexit 1\n`)
    chmodSync(join(bin, 'python3'), 0o755)
    const plain = localPlaybookDir('nopython', {
      'site.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - set_fact: { x: "{{ [3, 1] | sort | join(\',\') }}" }\n    - debug: { msg: "{{ x }}" }\n',
    })
    try {
      const env = { PATH: `${bin}:${process.env.PATH}` }
      const r = await acplay(['run', join(plain, 'site.yml'), '-i', join(plain, 'hosts.ini')], { env })
      assert.equal(r.code, 0, r.stderr)
      assert.equal(existsSync(mark), false, 'python3 was started')
      // the same PATH, a filter acplay lacks: the mark shows the detection above would see a start
      const r2 = await acplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')], { env })
      assert.equal(r2.code, 0, r2.stderr)
      assert.equal(existsSync(mark), true)
    } finally {
      rmSync(bin, { recursive: true, force: true })
      rmSync(plain, { recursive: true, force: true })
    }
  })
})
