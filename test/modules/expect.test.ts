/**
 * expect on real hosts, side by side with ansible-playbook (pexpect on its host; acplay needs only
 * python3): questions answered, a list of answers used in turn, echo, chdir, creates; the same
 * transcripts registered, the same changed counts, check mode predicting the first run. Then the
 * failures in Ansible's words: no answer left, a timeout, a non-zero exit, a missing program.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { expect } from '../../modules/expect.js'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, SideBySide, type PlaybookRun } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const ASK = `#!/bin/sh
printf 'Your name: '; read name
printf 'Password: '; read pw
printf 'Again? '; read again
printf 'Again? '; read again2
echo "hello $name, \${#pw} chars, $again then $again2" | tee /srv/ask.out`

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: questions answered
      ansible.builtin.expect:
        command: /usr/local/bin/ask
        responses:
          "name:": alice
          (?i)password: "s3cret pw"
          Again\\?: ["yes", "no"]
      register: asked
    - name: answers echoed
      expect:
        command: /usr/local/bin/ask
        responses: { "name:": bob, "Password:": x, "Again": "again" }
        echo: true
      register: echoed
    - name: in a directory, a relative creates that is not there
      expect:
        command: sh -c 'pwd; printf "ok? "; read a; echo "got $a"'
        chdir: /srv
        creates: not-there
        responses: { "ok\\\\?": fine }
      register: moved
    - name: creates that is there
      expect: { command: /usr/local/bin/ask, creates: /etc/hostname, responses: { x: y } }
      register: skipped_run
    - name: outputs
      debug:
        msg: "{{ [asked.stdout, asked.rc, echoed.stdout_lines, moved.stdout, skipped_run.stdout, skipped_run.changed] }}"
`
const STATE = 'cat /srv/ask.out'
const outputs = (r: PlaybookRun) => {
  const at = r.stdout.indexOf('TASK [outputs]')
  return r.stdout.slice(at, r.stdout.indexOf('\n\n', at)).replace(/\[[a-z]+-[ab]\]/g, '[host]')
}

describe('expect on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['exp-a', 'exp-b'])
  const root = hostConnections(bed, 'exp-a')
  const sides = new SideBySide(bed, 'exp-a', 'exp-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['exp-a', 'exp-b']) {
      const r = await bed().exec(h, `cat > /usr/local/bin/ask <<'EOF'\n${ASK}\nEOF\nchmod 755 /usr/local/bin/ask; mkdir -p /srv`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode predicts the run; both tools register the same transcripts and leave the same state', async () => {
    assert.equal(await sides.firstRun(3), 'hello bob, 1 chars, again then again\n')
    const [mine, theirs] = await sides.both(3)
    assert.equal(outputs(mine), outputs(theirs))
    // without echo the answers are not in the transcript, nor their newlines
    assert.match(outputs(mine), /"Your name: Password: Again\? Again\? hello alice, 9 chars, yes then no"/)
    assert.match(outputs(mine), /"Your name: bob"/, 'echoed')
    assert.match(outputs(mine), /"\/srv\\r\\nok\? got fine"/)
    assert.match(outputs(mine), /"skipped, since \/etc\/hostname exists",\s+false/)
  })

  it("fails as Ansible's module does: no answer left, a timeout, a non-zero exit, a program that is not there", async () => {
    const none = await realRun(expect, { command: '/usr/local/bin/ask', responses: { 'name:': 'a', 'Password:': 'b', 'Again\\?': ['one'] } }, root())
    assert.equal(none.status, 'failed')
    assert.equal(none.msg, "No remaining responses for 'Again\\?', output was 'b' Again?''")
    const slow = await realRun(expect, { command: 'sleep 5', responses: { x: 'y' }, timeout: 1 }, root())
    assert.deepEqual([slow.status, slow.msg, slow.data.rc], ['failed', 'command exceeded timeout', null])
    const bad = await realRun(expect, { command: 'sh -c "echo oops; exit 3"', responses: { x: 'y' } }, root())
    assert.deepEqual([bad.status, bad.msg, bad.data.rc, bad.data.stdout], ['failed', 'non-zero return code', 3, 'oops'])
    const missing = await realRun(expect, { command: 'no-such-program --flag', responses: { x: 'y' } }, root())
    assert.equal(missing.msg, 'The command was not found or was not executable: no-such-program.')
    // Ansible's own words, from its module on the sibling host
    const theirs = async (args: Record<string, unknown>) => (await ansibleModule(bed(), 'exp-b', 'expect', JSON.stringify(args))).msg
    assert.equal(await theirs({ command: '/usr/local/bin/ask', responses: { 'name:': 'a', 'Password:': 'b', 'Again\\?': ['one'] } }), none.msg)
    assert.equal(await theirs({ command: 'sleep 5', responses: { x: 'y' }, timeout: 1 }), slow.msg)
    assert.equal(await theirs({ command: 'no-such-program --flag', responses: { x: 'y' } }), missing.msg)
  })
})
