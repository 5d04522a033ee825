/**
 * Issue 17, check mode's fidelity where later tasks need what earlier ones provide
 * (test/fixtures/fidelity/release.yml: a link to a console script pip installs, a config validated
 * by a program an apt task installs, stat + register + when, get_url then unarchive, a command with
 * creates whose output a later task uses, a unit the installed package ships under another name). On fresh hosts and after drift made by hand: check fails
 * nothing; every (host, task) pair the real run changes is predicted changed or "may change";
 * every pair predicted exactly is changed by the run; "may change" is a small minority (the
 * numbers are printed). The reports tell exact and may-change apart. Then a differential with
 * Debian's ansible-playbook: a systemd task doing only a daemon-reload is ok, not changed.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import type { AuditReport } from '../../engine/report/audit-json.js'
import type { JsonDocument } from '../../engine/report/json.js'
import { buildAptRepo } from '../helpers/apt-repo.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { acplay } from '../helpers/cli.js'
import { runPlaybook } from '../helpers/differential.js'
import { startTestHttp, type TestHttp } from '../helpers/http-server.js'
import { buildStandinIndex } from '../helpers/standin.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { testDir } from '../helpers/temp-dir.js'

const PLAYBOOK = fileURLToPath(new URL('../../../test/fixtures/fidelity/release.yml', import.meta.url))
const HOSTS = ['rel1', 'rel2']
/** "may change" must stay a small minority of the predicted changes */
const MAX_MAY_SHARE = 0.25

type Result = JsonDocument['results'][number]
const pair = (r: Result) => `${r.host} | ${r.task.handler ? 'handler ' : ''}${r.task.name}`
const pairs = (doc: JsonDocument, keep: (r: Result) => boolean) => doc.results.filter(keep).map(pair).sort()
const failed = (doc: JsonDocument) =>
  doc.results.filter((r) => (r.status === 'failed' && !r.ignored) || r.status === 'unreachable').map((r) => `${pair(r)}: ${r.msg}`)

/** An archive with the release's files, for get_url + unarchive. */
function releaseArchive(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-release-'))
  try {
    writeFileSync(join(dir, 'VERSION'), '1.0\n')
    writeFileSync(join(dir, 'README'), 'relapp 1.0\n')
    execFileSync('tar', ['-czf', join(dir, 'release.tar.gz'), '-C', dir, 'VERSION', 'README'])
    return readFileSync(join(dir, 'release.tar.gz'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('check mode with what earlier tasks provide: exact, or "may change", never failed', { skip: testbedSkip() }, () => {
  const bed = useTestbed(HOSTS)
  const reports = mkdtempSync(join(tmpdir(), 'acplay-fidelity-unknowns-'))
  const closers: (() => Promise<void>)[] = []
  const standin = testDir('standin')
  let inventory = ''
  let vars = ''
  let http: TestHttp

  before(async () => {
    const repo = buildAptRepo([
      {
        name: 'acplay-conflint',
        version: '1.0',
        // passes a relapp config: it needs a `listen =` line
        files: {
          '/usr/bin/acplay-conflint': '#!/bin/sh\ngrep -q \'^listen = \' "$1"\n',
          // a unit named after neither the package nor its stem, as samba ships smbd.service
          '/lib/systemd/system/lintwatchd.service':
            '[Unit]\nDescription=lint watcher\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n',
        },
        executables: ['/usr/bin/acplay-conflint'],
      },
    ])
    const index = buildStandinIndex(standin)
    const [aptServed, pipServed] = await Promise.all([bed().serve(repo), bed().serve(index)])
    http = await startTestHttp(HOSTS.map((h) => bed().host(h).gateway))
    http.put('relapp-1.0.tar.gz', releaseArchive())
    closers.push(aptServed.close, pipServed.close, http.close, async () => rmSync(repo, { recursive: true, force: true }))
    // no internet: the hosts' own apt sources are put aside; the playbook adds the local one
    for (const h of HOSTS) {
      const r = await bed().exec(
        h,
        'mkdir -p /etc/apt/acplay-disabled && for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do [ -e "$f" ] && mv "$f" /etc/apt/acplay-disabled/ || true; done',
      )
      assert.equal(r.rc, 0, r.stderr)
    }
    inventory = bed().inventory()
    const pipIndex = `${pipServed.urlFor(HOSTS[0]!)}simple/`
    vars = JSON.stringify({
      apt_url: aptServed.urlFor(HOSTS[0]!),
      pip_index: pipIndex,
      pip_host: new URL(pipIndex).hostname,
      archive_url: `http://${bed().host(HOSTS[0]!).gateway}:${http.httpPort}/files/relapp-1.0.tar.gz`,
    })
  })
  after(async () => {
    for (const c of closers) await c()
    rmSync(reports, { recursive: true, force: true })
  })

  const acplayJson = async (args: string[]) => {
    const r = await acplay([...args, PLAYBOOK, '-i', inventory, '-e', vars, '--json'])
    try {
      return { ...r, doc: JSON.parse(r.stdout) as JsonDocument }
    } catch {
      throw new Error(`acplay printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
    }
  }

  /** check, then the real run: the four conditions, with the numbers printed. */
  async function measure(label: string) {
    const json = join(reports, `${label}.json`)
    const xml = join(reports, `${label}.xml`)
    const check = await acplayJson(['check', '--report', json, '--report', xml])
    const real = await acplayJson(['run'])
    const exact = pairs(check.doc, (r) => r.status === 'changed' && !r.mayChange)
    const may = pairs(check.doc, (r) => r.status === 'changed' && !!r.mayChange)
    const actual = pairs(real.doc, (r) => r.status === 'changed')
    const missed = actual.filter((p) => !exact.includes(p) && !may.includes(p))
    const wrong = exact.filter((p) => !actual.includes(p))
    const mayChanged = may.filter((p) => actual.includes(p)).length
    const predicted = exact.length + may.length
    const share = predicted ? may.length / predicted : 0
    console.log(
      `fidelity [${label}]: check predicted ${predicted} changed (host, task) pairs: ${exact.length} exactly, ${may.length} may change ` +
        `(${(share * 100).toFixed(0)}%; ${mayChanged} of them did); the real run changed ${actual.length}; ` +
        `missed ${missed.length}, predicted exactly but not changed ${wrong.length}; failed in check ${failed(check.doc).length}, in the run ${failed(real.doc).length}`,
    )
    for (const p of may) console.log(`  may change: ${p} -- ${check.doc.results.find((r) => pair(r) === p)?.reason}`)
    for (const p of missed) console.log(`  missed by check: ${p}`)
    for (const p of wrong) console.log(`  predicted exactly, not changed: ${p}`)
    assert.deepEqual(failed(check.doc), [], 'check mode fails nothing')
    assert.deepEqual(failed(real.doc), [], 'the real run fails nothing')
    assert.deepEqual(missed, [], 'every pair the run changes is predicted (exactly or as may change)')
    assert.deepEqual(wrong, [], 'every pair predicted exactly is changed by the run')
    assert.ok(share <= MAX_MAY_SHARE, `may change is a small minority: ${may.length} of ${predicted}`)
    assert.equal(check.code, predicted ? 2 : 0, `acplay check's detailed exit code counts both as drift\n${check.stderr}`)
    // the reports keep them apart
    const audit = JSON.parse(readFileSync(json, 'utf8')) as AuditReport
    assert.deepEqual(auditSchemaErrors(audit), [])
    assert.deepEqual([audit.drift.tasks, audit.drift.mayChange ?? 0], [predicted, may.length])
    const junit = readFileSync(xml, 'utf8')
    assert.equal(junit.match(/type="may-change"/g)?.length ?? 0, may.length)
    assert.equal(junit.match(/type="drift"/g)?.length ?? 0, exact.length)
    return { exact, may, actual, check: check.doc }
  }

  it('on fresh hosts: the first release is predicted, a few pairs as may change, none failed', async () => {
    const { exact, may, check } = await measure('fresh')
    for (const h of HOSTS) {
      assert.ok(exact.includes(`${h} | The CLI is on the PATH`), 'the link to the console script pip installs: exact')
      assert.ok(exact.includes(`${h} | The release is unpacked`), 'unpacking into an empty dest: exact')
      assert.ok(exact.includes(`${h} | The release is initialised once`), 'a command that would run: exact')
      assert.ok(may.includes(`${h} | The relapp config, checked by the linter`), 'validated by what apt installs: may change')
      assert.ok(may.includes(`${h} | The linter's watcher runs`), 'a unit the host lacks after an install: may change')
      assert.ok(may.includes(`${h} | The CLI is recorded as found`), 'when on a stat of what pip installs: may run')
      assert.ok(may.includes(`${h} | The initialised version is recorded`), 'when on an unrun command: may run')
      const reload = check.results.find((r) => r.host === h && r.task.name === 'systemd re-reads its units')
      assert.equal(reload?.status, 'ok', 'a daemon-reload alone is not a change')
      const link = check.results.find((r) => r.host === h && r.task.name === 'The CLI is on the PATH')
      assert.equal(link?.reason, "changed (predicted): waits for task 'The CLI is installed in its virtualenv'")
    }
    const version = await bed().exec(HOSTS[0]!, 'cat /etc/relapp-version')
    assert.equal(version.stdout, '1.0\n', 'the command output reached the later task in the real run')
  })

  it('after hand-made drift: check predicts what the real run repairs', async () => {
    const sh = async (host: string, script: string) => {
      const r = await bed().exec(host, script)
      assert.equal(r.rc, 0, `${host}: ${script}\n${r.stderr}`)
    }
    await sh('rel1', 'rm /usr/local/bin/relapp-airflow && printf "listen = 9090\\n" > /etc/relapp.conf')
    await sh('rel2', '/opt/relapp-venv/bin/python -m pip uninstall -q -y airflow-standin && rm /srv/relapp/VERSION && systemctl stop relapp')
    const { exact, actual } = await measure('drift')
    assert.deepEqual(
      exact,
      [
        'rel1 | The CLI is on the PATH',
        'rel1 | The relapp config, checked by the linter',
        'rel2 | The CLI is installed in its virtualenv',
        'rel2 | The release is unpacked',
        'rel2 | relapp is enabled and started',
      ].sort(),
    )
    assert.deepEqual(actual, exact)
  })

  it('converged: check predicts nothing', async () => {
    const check = await acplayJson(['check'])
    assert.deepEqual(failed(check.doc), [])
    assert.deepEqual(
      pairs(check.doc, (r) => r.status === 'changed'),
      [],
    )
    assert.equal(check.code, 0)
  })

  it('changed counts match ansible-playbook: a daemon-reload alone is ok, and `is changed` on it is false', async () => {
    const yaml = `- hosts: all
  gather_facts: false
  tasks:
    - name: reload only
      ansible.builtin.systemd:
        daemon_reload: true
      register: reload
    - name: reload with a running unit
      ansible.builtin.systemd:
        name: relapp
        state: started
        daemon_reload: true
    - name: only when the reload changed something
      ansible.builtin.debug:
        msg: changed
      when: reload is changed
`
    const theirs = await runPlaybook('ansible', bed(), HOSTS[0]!, yaml)
    const mine = await runPlaybook('acplay', bed(), HOSTS[0]!, yaml)
    assert.equal(theirs.code, 0, theirs.stdout)
    assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n--- ansible-playbook:\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, 0)
    assert.equal(mine.recap.skipped, 1)
  })
})
