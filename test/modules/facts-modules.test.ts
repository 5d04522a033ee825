/**
 * The read-only modules (package_facts, service_facts, getent) and debconf on real hosts, against
 * Debian's ansible: the facts acplay returns are exactly Ansible's for the same host (a package from a
 * local apt repo gives a real origin); check mode sees what earlier tasks would change; registered
 * values work in a playbook. debconf runs side by side with ansible-playbook on a sibling host.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { runModule } from '../../engine/module-runner.js'
import { debconf } from '../../modules/debconf.js'
import { getent } from '../../modules/getent.js'
import { packageFacts } from '../../modules/package_facts.js'
import { serviceFacts } from '../../modules/service_facts.js'
import { buildAptRepo, useOnlyRepoScript } from '../helpers/apt-repo.js'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, runPlaybook, SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const DEBCONF = `- hosts: all
  gather_facts: false
  tasks:
    - name: an area
      ansible.builtin.debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Europe }
    - name: a zone
      debconf: { name: tzdata, question: tzdata/Zones/Europe, vtype: select, value: Paris }
    - name: a boolean
      debconf: { name: openssh-server, question: openssh-server/permit-root-login, vtype: boolean, value: "False" }
    - name: a multiselect
      debconf: { name: locales, question: locales/locales_to_be_generated, vtype: multiselect, value: "de_CH.UTF-8 UTF-8, en_US.UTF-8 UTF-8" }
    - name: just read
      debconf: { name: tzdata }
`
const DEBCONF_STATE = 'debconf-show tzdata openssh-server locales | sort'

describe("package_facts, service_facts, getent and debconf on real hosts (against Debian's ansible)", { skip: testbedSkip() }, () => {
  const bed = useTestbed(['facts-a', 'facts-b'])
  const env = hostConnections(bed, 'facts-a')
  const sides = new SideBySide(bed, 'facts-a', 'facts-b', DEBCONF, DEBCONF_STATE)
  let closeRepo: (() => Promise<void>) | undefined
  after(async () => {
    await closeRepo?.()
  })
  const sh = async (host: string, script: string) => (await bed().exec(host, script)).stdout
  before(async () => {
    const repo = buildAptRepo([{ name: 'acplay-hello', version: '1.0', files: { '/usr/share/acplay-hello/hello.txt': 'hello\n' } }])
    const served = await bed().serve(repo)
    closeRepo = async () => {
      await served.close()
      rmSync(repo, { recursive: true, force: true })
    }
    const r = await bed().exec(
      'facts-a',
      `${useOnlyRepoScript(served.urlFor('facts-a'))}\napt-get update -qq && apt-get install -y -qq acplay-hello >/dev/null`,
    )
    assert.equal(r.rc, 0, r.stderr)
  })

  it('package_facts: the same packages, versions, sections and origins as Ansible', async () => {
    const [mine, theirs] = await Promise.all([realRun(packageFacts, {}, env()), ansibleModule(bed(), 'facts-a', 'package_facts', '')])
    assert.equal(mine.status, 'ok', mine.msg)
    const pkgs = (mine.data.ansible_facts as { packages: Record<string, unknown[]> }).packages
    assert.deepEqual(pkgs, (theirs.ansible_facts as { packages: unknown }).packages)
    assert.deepEqual(pkgs['acplay-hello'], [{ name: 'acplay-hello', version: '1.0', arch: 'all', category: 'misc', origin: 'acplay-tests', source: 'apt' }])
    const effects = new EffectStore()
    effects.record([{ fact: 'apt.package', key: 'acplay-hello', value: { name: 'acplay-hello', status: 'not-installed' } }])
    const check = await runModule(packageFacts, {}, { ...env(), check: true, diff: false, effects })
    assert.ok(!('acplay-hello' in (check.data.ansible_facts as { packages: object }).packages), 'a package an earlier task removes is gone in check mode')
  })

  it('service_facts: the same services, states and statuses as Ansible; check mode sees an earlier systemd change', async () => {
    const [mine, theirs] = await Promise.all([realRun(serviceFacts, {}, env()), ansibleModule(bed(), 'facts-a', 'service_facts', '')])
    const services = (mine.data.ansible_facts as { services: Record<string, { state: string; status?: string }> }).services
    assert.deepEqual(services, (theirs.ansible_facts as { services: unknown }).services)
    assert.deepEqual(services['cron.service'], { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' })
    assert.deepEqual(services.cron, { name: 'cron', state: 'running', source: 'sysv' })
    const effects = new EffectStore()
    effects.record([
      { fact: 'systemd.unit', key: 'cron.service', value: { loadState: 'loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'disabled' } },
    ])
    const check = await runModule(serviceFacts, {}, { ...env(), check: true, diff: false, effects })
    assert.deepEqual((check.data.ansible_facts as { services: Record<string, unknown> }).services['cron.service'], {
      name: 'cron.service',
      state: 'stopped',
      status: 'disabled',
      source: 'systemd',
    })
  })

  it('getent: the same facts as Ansible for keys, whole databases and missing keys; check mode sees a user an earlier task creates', async () => {
    const cases = [
      'database=passwd key=root',
      'database=group',
      'database=hosts key=facts-b',
      'database=services key=ssh',
      'database=passwd key=nosuch fail_key=no',
    ]
    await Promise.all(
      cases.map(async (args) => {
        const parsed = Object.fromEntries(args.split(' ').map((kv) => kv.split('=') as [string, string]))
        const [mine, theirs] = await Promise.all([realRun(getent, parsed, env()), ansibleModule(bed(), 'facts-a', 'getent', args)])
        assert.equal(mine.status, 'ok', `${args}: ${mine.msg}`)
        const { discovered_interpreter_python: _, ...facts } = theirs.ansible_facts as Record<string, unknown>
        assert.deepEqual(mine.data.ansible_facts, facts, args)
      }),
    )
    const missing = await realRun(getent, { database: 'passwd', key: 'nosuch' }, env())
    assert.equal(missing.status, 'failed')
    assert.equal(missing.msg, 'One or more supplied key could not be found in the database.')
    const effects = new EffectStore()
    effects.record([{ fact: 'user.info', key: 'astro', value: { exists: true, name: 'astro', group: 'astro', home: '/home/astro', shell: '/bin/false' } }])
    const check = await runModule(getent, { database: 'passwd', key: 'astro' }, { ...env(), check: true, diff: false, effects })
    assert.equal(check.status, 'ok', check.msg)
    assert.deepEqual(check.data.ansible_facts, { getent_passwd: { astro: ['x', '', '', '', '/home/astro', '/bin/false'] } })
  })

  it("registered results work as in Ansible, and the facts feed the host's facts (also in check mode)", async () => {
    const yaml = `- hosts: all
  gather_facts: false
  tasks:
    - package_facts:
      register: pf
    - ansible.builtin.service_facts:
    - getent: { database: passwd, key: root }
      register: ge
    - debug:
        msg: "hello={{ pf.ansible_facts.packages['acplay-hello'][0].version }} root-home={{ ge.ansible_facts.getent_passwd.root[4] }}"
    - debug:
        msg: "facts: {{ ansible_facts.packages['acplay-hello'][0].origin }} cron={{ ansible_facts.services['cron.service'].state }} shell={{ getent_passwd.root[5] }}"
`
    for (const check of [false, true]) {
      const r = await runPlaybook('acplay', bed(), 'facts-a', yaml, { check })
      assert.equal(r.code, 0, r.stdout + r.stderr)
      assert.match(r.stdout, /hello=1\.0 root-home=\/root/)
      assert.match(r.stdout, /facts: acplay-tests cron=running shell=\/bin\/bash/)
    }
  })

  it('debconf: check mode predicts the run; both tools leave the same answers and count the same changes; re-runs are ok', async () => {
    assert.match(await sides.firstRun(4), /\* tzdata\/Areas: Europe/)
    await sides.rerun()
  })

  it('debconf passwords: set once, then ok (compared by digest); never shown', async () => {
    const yaml = `- hosts: all
  gather_facts: false
  tasks:
    - debconf: { name: acplay-test, question: acplay/secret, vtype: password, value: "Sup3r-s3cret" }
      register: r
    - debug: { var: r }
`
    const first = await runPlaybook('acplay', bed(), 'facts-a', yaml, { diff: true })
    assert.equal(first.recap.changed, 1, first.stdout)
    const second = await runPlaybook('acplay', bed(), 'facts-a', yaml, { diff: true })
    assert.equal(second.recap.changed, 0, second.stdout)
    for (const out of [first.stdout, second.stdout, first.stderr]) assert.ok(!out.includes('Sup3r-s3cret'), 'the password is never printed')
    assert.match(first.stdout, /\*{8}/)
    assert.equal(await sh('facts-a', "debconf-get-selections | awk -F'\\t' '$2 == \"acplay/secret\" { print $4 }'"), 'Sup3r-s3cret\n')
    const changed = await realRun(debconf, { name: 'acplay-test', question: 'acplay/secret', vtype: 'password', value: 'other' }, env())
    assert.equal(changed.status, 'changed')
  })
})
