/**
 * ini_file on real hosts, side by side with community.general.ini_file (ansible-playbook): a new
 * file with its directory and mode, options added to it, several values, a php.ini-like file with
 * a commented default, my.cnf's bare options and sections removed, options before any section,
 * and a CRLF file that needs nothing. Same changed counts and the same bytes left behind.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const DIR = '/etc/acplay-ini'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a new file in a new directory, with a mode
      community.general.ini_file: { path: ${DIR}/app/app.ini, section: server, option: port, value: "8080", mode: "0640" }
    - name: a second option of that section
      ini_file: { path: ${DIR}/app/app.ini, section: server, option: host, value: 0.0.0.0 }
    - name: an option with several values
      ini_file: { path: ${DIR}/app/app.ini, section: mirrors, option: url, values: ["http://a.example", "http://b.example"] }
    - name: a commented default taken back
      community.general.ini_file: { dest: ${DIR}/php.ini, section: PHP, option: memory_limit, value: 256M, backup: true }
    - name: a bare option
      ini_file: { path: ${DIR}/my.cnf, section: mysqld, option: skip-name-resolve, allow_no_value: true }
    - name: an option removed
      ini_file: { path: ${DIR}/my.cnf, section: mysqld, option: old-option, state: absent }
    - name: a section removed
      ini_file: { path: ${DIR}/my.cnf, section: obsolete, state: absent }
    - name: before any section, without spaces
      ini_file: { path: ${DIR}/env.conf, option: LANG, value: C.UTF-8, no_extra_spaces: true }
    - name: a CRLF file that is right already
      ini_file: { path: ${DIR}/win.ini, section: s, option: k, value: v }
`
const SEED = `set -e
mkdir -p ${DIR}
printf '[PHP]\\nengine = On\\n;memory_limit = 128M\\n\\n[Date]\\n;date.timezone =\\n' > ${DIR}/php.ini
printf '[mysqld]\\nport = 3306\\nold-option = 1\\n\\n[obsolete]\\nx = 1\\n\\n[client]\\nport = 3306\\n' > ${DIR}/my.cnf
printf '# environment\\nLANG=POSIX\\nTZ=UTC\\n' > ${DIR}/env.conf
printf '[s]\\r\\nk = v\\r\\n' > ${DIR}/win.ini
chmod 0600 ${DIR}/my.cnf`
const STATE = `cd ${DIR} && for f in app/app.ini php.ini my.cnf env.conf win.ini; do echo "== $f $(stat -c '%a %U:%G' $f)"; cat -A $f; done
stat -c '%n %a' app; ls php.ini.* 2>/dev/null | wc -l`

describe('ini_file on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ini-a', 'ini-b'])
  const sides = new SideBySide(bed, 'ini-a', 'ini-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['ini-a', 'ini-b']) assert.equal((await bed().exec(h, SEED)).rc, 0)
  })

  it('check mode on the fresh host predicts the run; both tools leave the same bytes, modes and backups', async () => {
    const state = await sides.firstRun(8)
    assert.match(
      state,
      /^== app\/app\.ini 640 root:root\n\$\n\[server\]\$\nport = 8080\$\nhost = 0\.0\.0\.0\$\n\[mirrors\]\$\nurl = http:\/\/a\.example\$\nurl = http:\/\/b\.example\$\n/m,
    )
    assert.match(state, /^engine = On\$\nmemory_limit = 256M\$\n\$\n\[Date\]/m)
    assert.match(state, /^== win\.ini 644 root:root\n\[s\]\^M\$\nk = v\^M\$\n/m, 'the CRLF file is untouched')
    assert.match(state, /\n1\n$/, 'one backup of php.ini')
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a value and a mode changed by hand are found in check mode; both tools repair them alike', async () => {
    const check = await sides.drift(`sed -i 's/^memory_limit = .*/memory_limit = 64M/' ${DIR}/php.ini && chmod 0644 ${DIR}/app/app.ini`, 2)
    assert.match(check.stdout, /-memory_limit = 64M\n +\+memory_limit = 256M/)
  })
})
