/**
 * A secret in every output format and verbosity, on a real host: a password given with -e under a
 * password-like name, taking every form on its way to output (shell-quoted in a command's summary,
 * JSON-escaped, percent-encoded, base64, alone and inside longer text) and, being rotated, its old
 * value in the host's file. Searched for in plain, -v, -vvv, --diff, --json, the JSON report and
 * the JUnit report: a test per output and per form. The forms are made by Python and bash, not by
 * the masker under test.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { quote } from '../../engine/connection/quote.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { assertNoStackTrace, runAcplay, scratch } from './helpers.js'

const NEW = `S3cr%t/p@ss:w?rd#$ x'y"z`
const OLD = `0ld-Pa55 w/rd:'q"%é`

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: a command with the password, shell-quoted
      command: /bin/echo connecting with {{ db_password | quote }} now
    - name: the password in JSON
      debug: {msg: "{{ {'password': db_password} | to_json }}"}
    - name: percent-encoded
      debug: {msg: "postgresql://app:{{ db_password | urlencode_userinfo }}@db/app?p={{ db_password | urlencode }}"}
    - name: base64, alone and after a prefix
      debug: {msg: "{{ db_password | b64encode }} {{ ('app:' ~ db_password) | b64encode }}"}
    - name: a config file with the password (the host holds the old one)
      copy: {dest: /srv/app.conf, content: "user=app\\npassword={{ db_password }}\\n", mode: "0600"}
    - name: registered output holding it
      command: {argv: [printf, "%s", "{{ db_password }}"]}
      register: out
    - debug: {var: out.stdout}
`

/** Each form of `s`, as the tools that make them write it. */
function forms(s: string): Record<string, string[]> {
  const py = (expr: string) =>
    spawnSync('python3', ['-c', `import sys, json, base64, shlex, urllib.parse as u; s = sys.argv[1]; sys.stdout.write(${expr})`, s], { encoding: 'utf8' })
      .stdout
  const b64 = (t: string) => Buffer.from(t).toString('base64')
  return {
    plain: [s],
    'shell-quoted': [quote(s), py('shlex.quote(s)'), spawnSync('bash', ['-c', 'printf %q "$1"', 'bash', s], { encoding: 'utf8' }).stdout],
    'JSON-escaped': [JSON.stringify(s).slice(1, -1), py('json.dumps(s)[1:-1]'), JSON.stringify(quote(s)).slice(1, -1)],
    'percent-encoded': [encodeURIComponent(s), py("u.quote(s, safe='')"), py('u.quote(s)'), py('u.quote_plus(s)')],
    // inside a longer base64 text only the middle is the secret's own: its first and last quartets mix in the neighbours
    base64: [b64(s), b64(`app:${s}`).slice(8, -8), b64(`x${s}`).slice(4, -4), b64(`xy${s}`).slice(4, -4)],
  }
}

const FORMS = { new: forms(NEW), old: forms(OLD) }

const OUTPUTS: Record<string, string[]> = {
  plain: [],
  '-v': ['-v'],
  '-vvv': ['-vvv'],
  '--diff': ['--diff', '-v'],
  '--json': ['--json', '--diff'],
  'JSON report': ['--diff', '--report', 'REPORT.json'],
  'JUnit report': ['--diff', '--report', 'REPORT.xml'],
}

describe('no secret in any output, in any form', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['s1'])
  const dir = scratch('faults-secrets', { 'play.yml': PLAY, 'vars.json': JSON.stringify({ db_password: NEW }) })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const texts: Record<string, string> = {}

  before(async () => {
    const b = bed()
    const inv = b.inventory()
    for (const [name, args] of Object.entries(OUTPUTS)) {
      // every run rotates the password: the host's file holds the old one
      await b.exec('s1', `printf 'user=app\\npassword=%s\\n' ${quote(OLD)} > /srv/app.conf`)
      const report = args.find((a) => a.startsWith('REPORT.'))
      const file = report ? join(dir, report) : undefined
      const r = await runAcplay(['run', join(dir, 'play.yml'), '-i', inv, '-e', `@${join(dir, 'vars.json')}`, ...args.map((a) => (a === report ? file! : a))])
      assertNoStackTrace(r)
      assert.equal(r.code, 0, r.stdout + r.stderr)
      texts[name] = file ? readFileSync(file, 'utf8') : r.stdout + r.stderr
    }
  })

  it('the outputs show what happened, masked (the search below is over real output)', () => {
    assert.match(texts.plain!, /run \/bin\/echo connecting with '\*{8}' now/)
    assert.match(texts['--diff']!, /-password=\*{8}\(old\)\n\s*\+password=\*{8}/)
    assert.match(texts['--json']!, /"postgresql:\/\/app:\*{8}@db\/app\?p=\*{8}"/)
    assert.match(texts['-vvv']!, /"out\.stdout": "\*{8}"/)
    assert.match(texts['JUnit report']!, /<testsuite/)
    assert.match(texts['JSON report']!, /acplay-audit/)
  })

  for (const output of Object.keys(OUTPUTS)) {
    describe(output, () => {
      for (const [label, which] of [
        ['the password', 'new'],
        ['the old password', 'old'],
      ] as const) {
        for (const form of Object.keys(FORMS.new)) {
          it(`${label}, ${form}`, () => {
            const found = FORMS[which][form]!.filter((f) => texts[output]!.includes(f))
            assert.deepEqual(found, [], `${output} shows ${label} ${form}`)
          })
        }
      }
    })
  }
})
