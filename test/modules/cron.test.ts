/**
 * cron on real hosts, side by side with ansible-playbook: the same playbook converges one host with
 * acplay and its sibling with Ansible; crontabs and cron.d files must end up byte-identical, with
 * the same changed counts. Check mode on the fresh host predicts the run exactly (a job added then
 * removed, a crontab of a user an earlier task creates), and hand edits are found and repaired.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cron } from '../../modules/cron.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a job in root's crontab
      cron: { name: check dirs, minute: "0", hour: "5,2", job: "ls -alh > /dev/null" }
    - name: a variable on top
      cron: { name: MAILTO, env: true, job: ops@example.test }
    - name: another variable after it
      ansible.builtin.cron: { name: APP_HOME, env: true, job: /srv/app, insertafter: MAILTO }
    - name: a disabled reboot job
      cron: { name: on boot, special_time: reboot, job: /usr/local/bin/warm, disabled: true }
    - name: a job that a later task removes
      cron: { name: temporary, job: /bin/true }
    - name: removed again
      cron: { name: temporary, state: absent }
    - name: the user the next crontab belongs to
      user: { name: alice }
    - name: a job in alice's crontab
      cron: { name: report, user: alice, weekday: "1-5", minute: "30", hour: "7", job: /usr/bin/report --daily }
    - name: a cron.d file
      cron: { name: yum autoupdate, cron_file: acplay-auto, user: root, weekday: "2", minute: "0", hour: "12", job: "YUMINTERACTIVE=0 /usr/sbin/yum-autoupdate" }
`
const STATE = `crontab -l -u root; echo "== alice"; crontab -l -u alice; echo "== cron.d"; stat -c '%a %U:%G' /etc/cron.d/acplay-auto; cat /etc/cron.d/acplay-auto`

describe('cron on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['cron-a', 'cron-b'])
  const root = hostConnections(bed, 'cron-a')
  const sides = new SideBySide(bed, 'cron-a', 'cron-b', PLAYBOOK, STATE)
  const sh = async (script: string) => (await bed().exec('cron-a', script)).stdout

  it('check mode on the fresh host predicts the run; both tools leave the same crontabs and count the same changes', async () => {
    const a = await sides.firstRun(9)
    assert.match(
      a,
      /^MAILTO="ops@example.test"\nAPP_HOME="\/srv\/app"\n#Ansible: check dirs\n0 5,2 \* \* \* ls -alh > \/dev\/null\n#Ansible: on boot\n#@reboot \/usr\/local\/bin\/warm\n== alice/,
    )
    assert.match(a, /== cron.d\n644 root:root\n#Ansible: yum autoupdate\n0 12 \* \* 2 root YUMINTERACTIVE=0/)
  })

  // the pair that adds and removes the job "temporary" changes twice on every run, with either tool
  it('re-runs change nothing else with either tool; check mode on the converged host agrees', () => sides.rerun(2))

  it('drift: a hand-edited job and a missing final newline are found in check mode; both tools repair them alike', async () => {
    const check = await sides.drift(
      `crontab -l | sed 's/^0 5,2/15 5,2/' | crontab - && printf '#Ansible: report\\n30 7 * * 1-5 /usr/bin/report --daily' > /var/spool/cron/crontabs/alice`,
      2 + 2,
    )
    assert.match(check.stdout, /-15 5,2 \* \* \* ls -alh > \/dev\/null\n\s*\+0 5,2 \* \* \* ls -alh > \/dev\/null/)
  })

  it('backup_file, the unnamed job that gets its comment, and removing the last cron.d job removes the file', async () => {
    await sh(`(crontab -l; echo '*/5 * * * * /bin/date') | crontab -`)
    const adopt = { name: 'date', minute: '*/5', job: '/bin/date', backup: true }
    const r = await realRun(cron, adopt, root())
    assert.equal(r.status, 'changed', r.msg)
    const backup = r.data.backup_file as string
    assert.match(backup, /^\/tmp\/crontab[a-z0-9_]{8}$/)
    assert.match(await sh(`stat -c %a ${backup}; cat ${backup}`), /^600\n[\s\S]*\*\/5 \* \* \* \* \/bin\/date\n$/)
    assert.match(await sh('crontab -l'), /#Ansible: date\n\*\/5 \* \* \* \* \/bin\/date\n$/)
    assert.equal((await realRun(cron, adopt, root())).status, 'ok')

    const gone = { name: 'yum autoupdate', cron_file: 'acplay-auto', state: 'absent' }
    const c = await checkRun(cron, gone, root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['remove job "yum autoupdate": remove /etc/cron.d/acplay-auto (no jobs left)'],
    )
    const g = await realRun(cron, gone, root())
    assert.deepEqual(g.data, { cron_file: 'acplay-auto', state: 'absent' })
    assert.equal(await sh('ls /etc/cron.d'), 'e2scrub_all\n')
    assert.equal((await realRun(cron, gone, root())).status, 'ok')
  })

  it('bad arguments fail with Ansible messages before anything changes', async () => {
    const fail = async (args: Record<string, unknown>, msg: RegExp) => {
      const r = await realRun(cron, args, root())
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, msg)
    }
    await fail({ name: 'x', special_time: 'daily', minute: '5', job: 'y' }, /You must specify time and date fields or special time/)
    await fail({ name: 'x', cron_file: 'f', job: 'y' }, /you must specify user=/)
    await fail({ name: 'x', cron_file: '/etc/crontab', user: 'root', job: 'y' }, /Will not manage \/etc\/crontab/)
    await fail({ name: 'x' }, /You must specify 'job'/)
    await fail({ name: 'A B', env: true, job: 'y' }, /Invalid name for environment variable/)
    await fail({ name: 'B', env: true, job: 'y', insertafter: 'NOPE' }, /Variable named 'NOPE' not found/)
    await fail({ name: 'x', job: 'y', user: 'nobody-here' }, /no such user/)
  })
})
