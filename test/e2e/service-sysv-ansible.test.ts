/**
 * `service` on hosts without systemd (testbed light hosts: sshd alone; Ansible's fact gathering says
 * `ansible_service_mgr: process_api` there, PID 1 of the outer machine), against Debian's
 * ansible-playbook: Ansible's service action then runs its generic service module, through the init
 * script and update-rc.d. A tiny daemon's LSB init script (start-stop-daemon, a pidfile, a log of
 * the calls with their arguments) on twin hosts, the same playbooks run by each tool on its own:
 * started + enabled with `arguments`, started by `pattern`; reloaded, restarted with `sleep`,
 * enabled no, stopped; a check run on the result. Compared: recaps, every registered result (the
 * debug output), the end state (the script's log, the rc?.d links, its status); the re-run changes
 * nothing; `--check` on a fresh twin predicts the first run's counts and changes nothing (Ansible's
 * check fails there: the init script it would copy is not there yet).
 *
 * Under delegate_to the manager is the delegate's, as Ansible's action reads it: a task on a systemd
 * host delegated to the controller (no systemd there: facts not gathered, so read on it) runs the
 * generic module there, pattern kept, not the systemd module the task host's facts would pick. On
 * that host: what systemd and service register (name, state, enabled), as Ansible's systemd module.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type PlaybookRun, runPlaybook } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const [THEIRS, MINE, FRESH] = ['sysva', 'sysvb', 'sysvc']

const INIT_SCRIPT = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          svcdemo
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: a tiny daemon for acplay's tests
### END INIT INFO
PIDFILE=/run/svcdemo.pid
LOG=/var/log/svcdemo.log
# the host's name in its command line: light hosts share one process table, so a pattern must tell them apart
TAG="svcdemo-$(cat /etc/hostname)"
case "$1" in
  start) echo "$*" >>$LOG
    start-stop-daemon --start --quiet --background --make-pidfile --pidfile $PIDFILE --exec /usr/bin/python3 -- -c 'import time; time.sleep(10**6)' "$TAG" ;;
  stop) echo "$*" >>$LOG
    start-stop-daemon --stop --quiet --oknodo --pidfile $PIDFILE --remove-pidfile --retry 5 ;;
  reload|force-reload) echo "$*" >>$LOG ;;
  status) if start-stop-daemon --status --pidfile $PIDFILE; then echo "svcdemo is running"; else rc=$?; echo "svcdemo is not running"; exit $rc; fi ;;
  *) echo "Usage: $0 {start|stop|reload|status}" >&2; exit 3 ;;
esac
`

const play = (gather: boolean, tasks: string, names: string[]) => `- hosts: all
  gather_facts: ${gather}
  tasks:
${tasks}
    - debug: { msg: "{{ [${names.join(', ')}] }}" }
`
const UP = play(
  false,
  `    - copy: { src: svcdemo, dest: /etc/init.d/svcdemo, mode: '0755' }
    - service: { name: svcdemo, state: started, enabled: true, arguments: "--fast 'now please'" }
      register: r1
    - service: { name: svcdemo, state: started, pattern: "svcdemo-{{ inventory_hostname }}" }
      register: r2`,
  ['r1', 'r2'],
)
// facts gathered here: the service manager from ansible_facts instead of its own read
const OPS = play(
  true,
  `    - service: { name: svcdemo, state: reloaded }
      register: r1
    - service: { name: svcdemo, state: restarted, sleep: 1 }
      register: r2
    - service: { name: svcdemo, enabled: false }
      register: r3
    - service: { name: svcdemo, state: stopped }
      register: r4
    - service: { name: svcdemo, state: stopped, enabled: false, pattern: "svcdemo-{{ inventory_hostname }}" }
      register: r5`,
  ['r1', 'r2', 'r3', 'r4', 'r5'],
)
// one task per aspect: Ansible's check reads the host for each, acplay's plans against the ones
// before; facts gathered, or Ansible's first module result carries its interpreter discovery
const CHECK = play(
  true,
  `    - service: { name: svcdemo, state: started, pattern: "svcdemo-{{ inventory_hostname }}" }
      register: r1
    - service: { name: svcdemo, enabled: true }
      register: r2`,
  ['r1', 'r2'],
)
const FILES = { svcdemo: INIT_SCRIPT }
const STATE = `cat /var/log/svcdemo.log; ls /etc/rc?.d | grep svcdemo | sort | uniq -c; service svcdemo status; echo "rc $?"`

/** What a run printed from the debug task on: the registered results, the host's name made neutral. */
const results = (r: PlaybookRun, host: string) => r.stdout.slice(r.stdout.lastIndexOf('TASK [debug]'), r.stdout.indexOf('PLAY RECAP')).replaceAll(host, 'HOST')

describe('service through init scripts where systemd does not run, as ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed([THEIRS, MINE, FRESH], { light: true })
  const state = async (host: string) => (await bed().exec(host, STATE)).stdout
  const both = async (yaml: string, changed: number, check = false) => {
    const t0 = Date.now()
    const [theirs, mine] = await Promise.all([
      runPlaybook('ansible', bed(), THEIRS, yaml, { files: FILES, check }),
      runPlaybook('acplay', bed(), MINE, yaml, { files: FILES, check }),
    ])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(mine.code, 0, mine.stdout + mine.stderr)
    assert.deepEqual(mine.recap, theirs.recap, `recaps differ:\n${mine.stdout}\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, changed, mine.stdout)
    assert.equal(results(mine, MINE), results(theirs, THEIRS), 'registered results')
    const [a, b] = await Promise.all([state(THEIRS), state(MINE)])
    assert.equal(b, a, 'end state')
    console.log(`${yaml === UP ? 'up' : yaml === OPS ? 'ops' : 'check'}: ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    return b
  }

  it('start, enable, reload, restart, disable, stop: the same results and end state; re-run 0; check mode', async () => {
    const fresh = await state(FRESH)
    const predicted = await runPlaybook('acplay', bed(), FRESH, UP, { files: FILES, check: true })
    assert.equal(predicted.code, 0, predicted.stdout)
    assert.equal(await state(FRESH), fresh, 'check mode changed nothing')

    const up = await both(UP, 2)
    assert.deepEqual(predicted.recap, (await runPlaybook('acplay', bed(), FRESH, UP, { files: FILES })).recap, 'check predicted the run')
    assert.match(up, /^start --fast now please\n/, 'the arguments reach the script')
    assert.match(up, /svcdemo is running\nrc 0\n$/)
    await both(UP, 0)

    const down = await both(OPS, 4)
    assert.match(down, /^start --fast now please\nreload\nstop\nstart\nstop\n/, 'restart is stop, then start')
    assert.match(down, /7 K01svcdemo\n/, 'disabled: K links in every runlevel')
    await both(CHECK, 2, true)
  })
})

describe('service and systemd on a systemd host (delegate_to, registered results), as ansible-playbook', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['svdel'])
  // read-only on the controller: no such init script there, so the generic module fails before acting
  const DELEGATED = play(
    true,
    `    - service: { name: acplay-no-such-svc, state: stopped, pattern: acplay-no-such-svc }
      delegate_to: localhost
      register: r1
      ignore_errors: true`,
    ['r1'],
  )
  it('a systemd host delegating to the controller: the generic module there, the same result', async () => {
    const [theirs, mine] = await Promise.all([runPlaybook('ansible', bed(), 'svdel', DELEGATED), runPlaybook('acplay', bed(), 'svdel', DELEGATED)])
    assert.equal(mine.code, theirs.code, mine.stdout + theirs.stdout)
    assert.deepEqual(mine.recap, theirs.recap, `recaps differ:\n${mine.stdout}\n${theirs.stdout}`)
    assert.equal(results(mine, 'svdel'), results(theirs, 'svdel'), 'registered results')
    assert.match(results(mine, 'svdel'), /Could not find the requested service acplay-no-such-svc: host/)
    for (const r of [mine, theirs]) assert.doesNotMatch(r.stdout + r.stderr, /Ignoring "pattern"/, 'not the systemd module')
  })

  // read-only but for restarts and reloads of PostgreSQL: both tools on the one host, one after the other
  const SYSTEMD_RESULTS = `- hosts: all
  gather_facts: false
  tasks:
    - systemd: { name: postgresql, state: started }
      register: r1
    - systemd: { name: postgresql.service, state: restarted }
      register: r2
    - service: { name: postgresql, enabled: true }
      register: r3
    - systemd: { name: postgresql }
      register: r4
    - systemd: { name: postgresql, state: reloaded, enabled: true }
      register: r5
    - systemd: { daemon_reload: true }
      register: r6
    - debug: { msg: "{{ [r1, r2, r3, r4, r5, r6] | map('dict2items') | map('rejectattr', 'key', 'in', ['status', 'ansible_facts']) | map('items2dict') | list | to_json }}" }
`
  it("systemd's registered name, state and enabled as Ansible's: the name as given, state and enabled only when asked", async () => {
    const registered = (r: PlaybookRun) => JSON.parse(JSON.parse(/"msg": (".*")\s*$/m.exec(r.stdout)?.[1] ?? '"[]"') as string) as unknown
    const theirs = await runPlaybook('ansible', bed(), 'svdel', SYSTEMD_RESULTS)
    const mine = await runPlaybook('acplay', bed(), 'svdel', SYSTEMD_RESULTS)
    assert.deepEqual(mine.recap, theirs.recap, `recaps differ:\n${mine.stdout}\n${theirs.stdout}`)
    assert.deepEqual(registered(mine), registered(theirs))
    assert.equal((registered(mine) as unknown[]).length, 6)
  })
})
