/**
 * A boolean keyword's template that renders no boolean (engine/run/gate.ts keywordFailure): which
 * keyword Ansible names when several do, where its message has file context, when ignore_errors
 * still takes the failure, None (rendered ''), a loop failing once, a false `when` first; a
 * template any_errors_fatal is truthy unrendered; a play's gather_facts stops the run. In-process on
 * the local connection with debug only.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { run } from '../../../engine/run.js'

const play = (task: string, playKeywords = '') => `- hosts: all
  gather_facts: false
${playKeywords}  tasks:
    - name: kw
      debug: { msg: kw }
${task}    - name: after
      debug: { msg: after }
`

describe('boolean keywords as templates that render no boolean', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-boolkw-'))
    writeFileSync(join(dir, 'hosts.ini'), 'a ansible_connection=local\nb ansible_connection=local\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** `kw` on each host: status, ignored, hidden, msg; whether `after` ran; the exit code. */
  async function kw(text: string) {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'site.yml'), text)
    const s = await run({ playbook: join(sub, 'site.yml'), inventory: [join(dir, 'hosts.ini')] })
    const r = s.results.find((x) => x.task.name === 'kw' && x.host === 'a')!
    return {
      status: r.status,
      ignored: r.ignored === true,
      hidden: r.hidden === true,
      msg: r.msg ?? '',
      after: s.results.some((x) => x.task.name === 'after'),
      exit: s.exitCode,
    }
  }

  it("names the PlayContext's keyword first (no file context, the error twice), then the task's (with it)", async () => {
    const both = await kw(play('      ignore_unreachable: "{{ \'x\' }}"\n      become: "{{ \'z\' }}"\n'))
    assert.equal(both.status, 'failed')
    assert.match(
      both.msg,
      /^the field 'become' has an invalid value \(\{\{ 'z' \}\}\), and could not be converted to an bool\.The error was: The value 'z' is not a valid boolean\. {2}Valid booleans include: [^\n]*\. The value 'z' is not/,
    )
    assert.doesNotMatch(both.msg, /The error appears to be in/)
    const task = await kw(play('      ignore_unreachable: "{{ \'x\' }}"\n'))
    assert.match(task.msg, /^the field 'ignore_unreachable' has an invalid value[^\n]*\n\nThe error appears to be in '[^']*site\.yml': line 4, column 7/)
  })

  it('ignore_errors takes the failure as Ansible reads it: unrendered (truthy) unless rendered before the failing keyword', async () => {
    assert.deepEqual(await kw(play('      become: "{{ \'x\' }}"\n      ignore_errors: "{{ false }}"\n')).then((r) => [r.ignored, r.after, r.exit]), [
      true,
      true,
      0,
    ])
    assert.deepEqual(await kw(play('      ignore_errors: "{{ \'x\' }}"\n')).then((r) => [r.status, r.ignored]), ['failed', true])
    assert.deepEqual(await kw(play('      delegate_facts: "{{ \'x\' }}"\n      ignore_errors: "{{ false }}"\n')).then((r) => [r.ignored, r.after, r.exit]), [
      false,
      false,
      2,
    ])
    assert.deepEqual(await kw(play('      delegate_facts: "{{ \'x\' }}"\n      ignore_errors: "{{ \'on\' }}"\n')).then((r) => [r.ignored, r.after]), [
      true,
      true,
    ])
  })

  it("no_log's bad template censors the result; None renders ''; a false when skips first", async () => {
    const hidden = await kw(play('      no_log: "{{ \'x\' }}"\n'))
    assert.deepEqual([hidden.status, hidden.hidden], ['failed', true])
    // None renders '' (checked), as in Ansible: check_mode is named, its PlayContext checks it before become
    const none = await kw(play('      become: "{{ none }}"\n      check_mode: "{{ none }}"\n'))
    assert.match(none.msg, /^the field 'check_mode' has an invalid value \(\{\{ none \}\}\)[^\n]*The value '' is not a valid boolean/)
    assert.equal((await kw(play('      diff: "{{ \'x\' }}"\n      when: false\n'))).status, 'skipped')
  })

  it('a loop fails once, with the message alone', async () => {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'site.yml'), play('      loop: [maybe, 1]\n      check_mode: "{{ item }}"\n'))
    const s = await run({ playbook: join(sub, 'site.yml'), inventory: [join(dir, 'hosts.ini')] })
    const r = s.results.find((x) => x.task.name === 'kw' && x.host === 'a')!
    assert.equal(r.status, 'failed')
    assert.match(r.msg ?? '', /^the field 'check_mode' has an invalid value \(\{\{ item \}\}\)[^\n]*The value 'maybe' is not a valid boolean/)
  })

  it("a dynamic include: its PlayContext's keywords alone are checked (no_log: censored), not ignore_errors nor run_once", async () => {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'inc.yml'), '- name: inner\n  debug: { msg: inner }\n')
    const inc = (keywords: string) => {
      writeFileSync(join(sub, 'site.yml'), play(`    - name: inc\n      include_tasks: inc.yml\n${keywords}`))
      return run({ playbook: join(sub, 'site.yml'), inventory: [join(dir, 'hosts.ini')] })
    }
    const rows = (s: Awaited<ReturnType<typeof run>>) =>
      s.results.filter((r) => r.task.name !== 'kw').map((r) => `${r.task.name} ${r.host} ${r.status}${r.hidden ? ' hidden' : ''}${r.ignored ? ' ignored' : ''}`)
    const noLog = await inc('      no_log: "{{ \'x\' }}"\n')
    assert.deepEqual(rows(noLog), ['inc a failed hidden', 'inc b failed hidden'])
    assert.ok(noLog.results.every((r) => r.task.name === 'kw' || r.beforeAction))
    assert.deepEqual(rows(await inc('      no_log: "{{ \'x\' }}"\n      ignore_errors: "{{ false }}"\n')).slice(0, 2), [
      'inc a failed hidden ignored',
      'inc b failed hidden ignored',
    ])
    assert.deepEqual(rows(await inc('      ignore_errors: "{{ \'x\' }}"\n')), ['inc a ok', 'inc b ok', 'inner a ok', 'inner b ok', 'after a ok', 'after b ok'])
    // run_once's template is truthy unrendered ("no" too), as Ansible's strategy reads it; '' is not
    assert.deepEqual(rows(await inc('      run_once: "{{ \'no\' }}"\n')), ['inc a ok', 'inner a ok', 'after a ok', 'after b ok'])
    assert.deepEqual(rows(await inc('      run_once: "{{ \'\' }}"\n')).length, 6)
  })

  it('any_errors_fatal as a template is true whatever it renders; an ignore_errors template turns it off (the linear strategy reads both unrendered)', async () => {
    const fails = "      failed_when: inventory_hostname == 'a'\n"
    assert.deepEqual(await kw(play(`${fails}      any_errors_fatal: "{{ false }}"\n`)).then((r) => [r.after, r.exit]), [false, 2])
    assert.deepEqual(await kw(play(fails, '  any_errors_fatal: "{{ false }}"\n')).then((r) => [r.after, r.exit]), [false, 2])
    assert.deepEqual(await kw(play(`${fails}      any_errors_fatal: true\n      ignore_errors: "{{ false }}"\n`)).then((r) => [r.after, r.exit]), [true, 2])
    assert.deepEqual(await kw(play(`${fails}      any_errors_fatal: false\n`)).then((r) => [r.after, r.exit]), [true, 2])
  })

  it("a play's gather_facts that renders no boolean stops the run in Ansible's words, at the play's line", async () => {
    const sub = mkdtempSync(join(dir, 'p-'))
    writeFileSync(join(sub, 'site.yml'), '- hosts: all\n  gather_facts: "{{ \'\' }}"\n  tasks: []\n')
    await assert.rejects(
      run({ playbook: join(sub, 'site.yml'), inventory: [join(dir, 'hosts.ini')] }),
      (e: unknown) =>
        e instanceof AcplayError &&
        e.code === 'E_PLAYBOOK' &&
        /^the field 'gather_facts' has an invalid value \(\{\{ '' \}\}\), and could not be converted to an bool\.The error was: The value '' is not a valid boolean\./.test(
          e.message,
        ) &&
        e.message.includes("site.yml': line 1, column 3"),
    )
  })
})
