/** A failed task's result as the plain/TTY output shows it: Ansible's `FAILED! => {...}`, msg first, streams as cut blocks. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cutTail, failureDetail, failureText, pyJson } from '../../../engine/report/failure.js'
import { resultLines } from '../../../engine/report/format.js'
import { LS, result } from './fixtures.js'

const numbered = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n')

describe('pyJson', () => {
  it("prints like Python's json.dumps: ', ' and ': ' between items, strings escaped", () => {
    assert.equal(pyJson({ a: [1, 'x"y'], b: { c: null, d: true }, e: undefined }), '{"a": [1, "x\\"y"], "b": {"c": null, "d": true}}')
    assert.equal(pyJson('a\nb'), '"a\\nb"')
    // json.dumps(sort_keys=True) sorts every nested mapping; the top one keeps the order given
    assert.equal(pyJson({ z: { b: [{ d: 1, c: 2 }], a: 1 }, y: 1 }), '{"z": {"a": 1, "b": [{"c": 2, "d": 1}]}, "y": 1}')
  })
})

describe('cutTail', () => {
  it('keeps the last 20 lines and says how many more there are', () => {
    const { lines, note } = cutTail(numbered(32))
    assert.equal(lines.length, 20)
    assert.equal(lines[0], 'line 13')
    assert.equal(lines[19], 'line 32')
    assert.equal(note, '(12 more lines; -v shows all)')
    assert.deepEqual(cutTail('one\ntwo'), { lines: ['one', 'two'] })
  })
  it('keeps at most 2000 characters: whole lines from the end, else the end of one long line', () => {
    const long = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(900)).join('\n')
    const { lines, note } = cutTail(long)
    assert.deepEqual(
      lines.map((l) => l[0]),
      ['3', '4'],
    )
    assert.equal(note, '(3 more lines; -v shows all)')
    const one = cutTail('x'.repeat(2500))
    assert.deepEqual(one.lines, [`…${'x'.repeat(2000)}`])
    assert.equal(one.note, '(500 more characters; -v shows all)')
  })
})

describe('failureText', () => {
  it('command: msg, rc and cmd first, the rest sorted; stderr as a block, empty stdout left out', () => {
    const { json, lines } = failureText(LS, false)
    assert.equal(
      json,
      '{"msg": "non-zero return code", "rc": 2, "cmd": ["ls", "/nonexistent-dir"], "changed": true, "delta": "0:00:00.016082", "end": "2026-12-02 18:25:06.100791", "start": "2026-12-02 18:25:06.084709"}',
    )
    assert.deepEqual(lines, ['  stderr:', "    ls: cannot access '/nonexistent-dir': No such file or directory"])
  })

  it('long streams are cut to their end with a note; -v shows them whole; stderr before stdout', () => {
    const r = { ...LS, stderr: numbered(30), stdout: 'out' }
    const cut = failureText(r, false).lines
    assert.deepEqual(cut.slice(0, 3), ['  stderr:', '    ... (10 more lines; -v shows all)', '    line 11'])
    assert.deepEqual(cut.slice(-2), ['  stdout:', '    out'])
    const whole = failureText(r, true).lines
    assert.equal(whole.length, 1 + 30 + 2)
    assert.equal(whole[1], '    line 1')
  })

  it('a message over several lines is a block; a stream the message already shows is not repeated', () => {
    const journal = 'systemctl start x.service failed (rc 1); last journal lines:\nboom'
    const { json, lines } = failureText({ cmd: "sh -c '...' sh start x.service", rc: 1, stderr: journal, stdout: '', changed: false }, false)
    assert.equal(json, '{"rc": 1, "cmd": "sh -c \'...\' sh start x.service", "changed": false}')
    assert.deepEqual(lines, ['  stderr:', '    systemctl start x.service failed (rc 1); last journal lines:', '    boom'])
    const withMsg = failureText({ msg: journal, rc: 1, stderr: journal }, false)
    assert.deepEqual(withMsg.lines, ['  msg:', '    systemctl start x.service failed (rc 1); last journal lines:', '    boom'])
    const fact = failureText({ msg: 'reading path.content failed: cannot read /etc/shadow: Permission denied', rc: 1, stderr: 'Permission denied' }, false)
    assert.deepEqual(fact.lines, [])
  })

  it('a long value on the {...} line (a module script as cmd) is cut unless verbose', () => {
    const script = `sh -c '${'x'.repeat(400)}'`
    assert.match(failureText({ cmd: script }, false).json, /^\{"cmd": "sh -c 'x{293}… \(108 more characters; -v shows all\)"\}$/)
    assert.equal(failureText({ cmd: script }, true).json, `{"cmd": ${JSON.stringify(script)}}`)
  })

  it('the report text: the {...} line and the whole streams', () => {
    assert.equal(failureDetail({ ...LS, stderr: numbered(25) }).split('\n').length, 1 + 1 + 25)
  })
})

describe('resultLines of a failure', () => {
  it('fatal: [host]: FAILED! => {...}, then the blocks and ...ignoring', () => {
    const r = result('web1', 'ls', 'failed', { msg: LS.msg, result: LS, ignored: true })
    assert.deepEqual(resultLines(r, 0), [
      `fatal: [web1]: FAILED! => ${failureText(LS, false).json}`,
      '  stderr:',
      "    ls: cannot access '/nonexistent-dir': No such file or directory",
      '...ignoring',
    ])
  })
  it("a loop item: Ansible's failed: [host] (item=x) => {...}", () => {
    const r = result('web1', 'ls', 'failed', { msg: LS.msg, result: LS, item: '/nonexistent-dir' })
    assert.match(resultLines(r, 0)[0]!, /^failed: \[web1\] \(item=\/nonexistent-dir\) => \{"msg": "non-zero return code", "rc": 2, /)
  })
  it('without a result: its msg; under no_log: nothing of it', () => {
    assert.deepEqual(resultLines(result('web1', 'x', 'failed', { msg: 'boom' }), 0), ['fatal: [web1]: FAILED! => {"msg": "boom"}'])
    const hidden = resultLines(result('web1', 'x', 'failed', { msg: 'boom', result: { ...LS, stderr: 'boom' }, hidden: true }), 1)
    assert.deepEqual(hidden, [
      'fatal: [web1]: FAILED! => {"censored": "the output has been hidden due to the fact that \'no_log: true\' was specified for this result", "changed": false}',
    ])
    // Ansible's censored result keeps whether it changed, and loses the item
    const item = resultLines(result('web1', 'x', 'failed', { msg: 'boom', item: "{'password': 'x'}", failedChanged: true, hidden: true }), 0)
    assert.deepEqual(item, [
      'failed: [web1] (item=None) => {"censored": "the output has been hidden due to the fact that \'no_log: true\' was specified for this result", "changed": true}',
    ])
    assert.deepEqual(resultLines(result('web1', 'x', 'ok', { item: 'a', hidden: true }), 0), ['ok: [web1] => (item=None)'])
  })
  it('unreachable: its message', () => {
    assert.deepEqual(resultLines(result('web1', 'x', 'unreachable', { msg: 'ssh: refused' }), 0), ['fatal: [web1]: UNREACHABLE! => {"msg": "ssh: refused"}'])
  })
})

describe('an ok result with output (debug, assert), as Ansible prints it', () => {
  const shown = (more: Parameters<typeof result>[3]) => resultLines(result('web1', 'debug', 'ok', more), 0).join('\n')
  it("debug's msg, whatever its type, under msg; var: and assert's result as they are", () => {
    assert.equal(shown({ output: 'hi', msg: 'hi' }), 'ok: [web1] => {\n    "msg": "hi"\n}')
    assert.equal(shown({ output: { a: 1 }, msg: '{"a":1}' }), 'ok: [web1] => {\n    "msg": {\n        "a": 1\n    }\n}')
    assert.equal(shown({ output: [1], msg: '[1]' }), 'ok: [web1] => {\n    "msg": [\n        1\n    ]\n}')
    assert.equal(shown({ output: { groups: { all: [] } } }), 'ok: [web1] => {\n    "groups": {\n        "all": []\n    }\n}')
    assert.equal(
      shown({ output: { changed: false, msg: 'All assertions passed' }, msg: 'All assertions passed' }),
      'ok: [web1] => {\n    "changed": false,\n    "msg": "All assertions passed"\n}',
    )
  })
})
