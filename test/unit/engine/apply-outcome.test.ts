/** What a failure on the host tells: a failed apply's command, rc and streams; a failed fact read; the registered result. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyFailed, parseFact, streams } from '../../../engine/apply-outcome.js'
import { ModuleFailure } from '../../../engine/errors.js'
import { withStreamLines } from '../../../engine/report/failure.js'
import { failedResult, registeredResult } from '../../../engine/run/task-result.js'
import { Masker } from '../../../engine/secrets.js'
import { command } from '../../../modules/command.js'
import { copy } from '../../../modules/copy.js'
import { lineinfile } from '../../../modules/lineinfile.js'
import { template } from '../../../modules/template.js'
import { shScript, type Fact, type ModuleSpec } from '../../../modules/types.js'

const applied = { rc: 3, stdout: 'out\n', stderr: 'err 1\nerr 2\n', startUs: 0, endUs: 5 }

describe('applyFailed', () => {
  it("carries the failing command (quoted argv, never its stdin), rc and the streams with Ansible's keys", () => {
    const o = applyFailed(command as ModuleSpec, {}, { ...applied, failedCommand: { argv: ['useradd', 'a b'], stdin: 'secret' } }, [])
    assert.equal(o.status, 'failed')
    assert.equal(o.msg, 'err 1\nerr 2')
    assert.deepEqual(o.data, { cmd: "useradd 'a b'", rc: 3, stdout: 'out', stderr: 'err 1\nerr 2', stdout_lines: ['out'], stderr_lines: ['err 1', 'err 2'] })
  })
  it("the module's own wording when it has one; without stderr, stdout or the exit code", () => {
    const mod = { ...(command as ModuleSpec), failureMsg: () => 'worded' }
    assert.equal(applyFailed(mod, {}, applied, []).msg, 'worded')
    assert.equal(applyFailed(command as ModuleSpec, {}, { ...applied, stderr: '' }, []).msg, 'out')
    const bare = applyFailed(command as ModuleSpec, {}, { ...applied, stdout: '', stderr: '' }, [])
    assert.equal(bare.msg, 'exit code 3')
    assert.equal(bare.data.cmd, undefined, 'an upload batch that failed has no command')
  })
  it("the module's own data when it says what Ansible's result holds (apt's missing package: msg alone)", () => {
    const mod = { ...(command as ModuleSpec), failureData: () => ({}) }
    assert.deepEqual(applyFailed(mod, {}, { ...applied, failedCommand: { argv: ['apt-get', 'install'] } }, []).data, {})
  })
  it("a validate that refused the file: lineinfile's 'failed to validate: rc:N error:STDERR'; copy's and template's msg with exit_status and the outputs (Ansible 2.14's modules)", () => {
    const validation = { dest: '/etc/haproxy/haproxy.cfg', rc: 1, stdout: '', stderr: '[ALERT] config : parsing [x:37] : balance\n[ALERT] Fatal errors\n' }
    const out = { ...applied, rc: 1, stdout: '', stderr: '', validation }
    const edit = applyFailed(lineinfile as ModuleSpec, {}, out, [])
    assert.deepEqual([edit.msg, edit.data], ['failed to validate: rc:1 error:[ALERT] config : parsing [x:37] : balance\n[ALERT] Fatal errors\n', {}])
    for (const mod of [template, copy]) {
      const o = applyFailed(mod as ModuleSpec, {}, out, [])
      assert.equal(o.msg, 'failed to validate')
      assert.deepEqual(o.data, {
        exit_status: 1,
        stdout: '',
        stderr: validation.stderr,
        stdout_lines: [],
        stderr_lines: ['[ALERT] config : parsing [x:37] : balance', '[ALERT] Fatal errors'],
      })
    }
    // the plan's sha1 of the new content comes along, as Ansible's copy returns it; nothing else of the plan's
    const checksum = '652067a838024d2caa13a2f8c1bc7c53ec880e56'
    const withSum = applyFailed(template as ModuleSpec, {}, out, [], { dest: '/etc/ssh/sshd_config', checksum, md5sum: 'x' })
    assert.deepEqual(Object.keys(withSum.data), ['checksum', 'exit_status', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines'])
    assert.equal(withSum.data.checksum, checksum)
    assert.deepEqual(applyFailed(lineinfile as ModuleSpec, {}, out, [], { checksum }).data, {})
    // other failures of copy keep the engine's reading
    assert.deepEqual(applyFailed(copy as ModuleSpec, {}, applied, []).data.rc, 3)
  })
})

describe('parseFact', () => {
  const fact: Fact<string, [string]> = {
    name: 'demo.read',
    command: (p) => shScript('cat -- "$1"', p),
    parse(out, p) {
      if (out.rc !== 0) throw new Error(`cannot read ${p}`)
      return out.stdout
    },
  }
  it('a read that fails names the fact, what it asked, rc and stderr (not stdout); a plain command as it ran', () => {
    assert.equal(parseFact(fact, { rc: 0, stdout: 'x', stderr: '' }, ['/a']), 'x')
    try {
      parseFact(fact, { rc: 1, stdout: 'private content', stderr: 'cat: /a: Permission denied\n' }, ['/a'])
      assert.fail('expected a failure')
    } catch (e) {
      assert.ok(e instanceof ModuleFailure)
      assert.equal(e.message, 'reading demo.read failed: cannot read /a')
      assert.deepEqual(e.data, {
        fact: 'demo.read',
        fact_args: ['/a'],
        rc: 1,
        stderr: 'cat: /a: Permission denied',
        stderr_lines: ['cat: /a: Permission denied'],
      })
    }
  })
  it('a fact that runs a plain command shows it', () => {
    const getent = { ...fact, command: (p: string) => ({ argv: ['getent', 'group', p] }) }
    assert.throws(
      () => parseFact(getent, { rc: 2, stdout: '', stderr: '' }, ['a b']),
      (e) => e instanceof ModuleFailure && e.data.cmd === "getent group 'a b'" && e.data.rc === 2,
    )
  })

  it("a module's own failure from a parser passes through as it is", () => {
    const own = {
      ...fact,
      parse: () => {
        throw new ModuleFailure('mine')
      },
    }
    assert.throws(
      () => parseFact(own, { rc: 0, stdout: '', stderr: '' }, ['/a']),
      (e) => e instanceof ModuleFailure && e.message === 'mine',
    )
  })
})

describe('registered and shown results', () => {
  it('a command that ran and failed is changed (Ansible); other failures are not', () => {
    const ran = registeredResult({ status: 'failed', msg: 'non-zero return code', data: { rc: 2, changed: true } })
    assert.deepEqual(ran, { rc: 2, changed: true, failed: true, msg: 'non-zero return code' })
    assert.equal(registeredResult({ status: 'failed', msg: 'x', data: { rc: 1 } }).changed, false)
    assert.equal(registeredResult({ status: 'ok', data: { changed: true } }).changed, false)
  })
  it('a failure shows the registered value without failed (its lines are split after masking); nothing when it succeeded or under no_log', () => {
    const reg = registeredResult({ status: 'failed', msg: 'm', data: { rc: 2, ...streams({ stdout: '', stderr: 'e\n' }) } })
    assert.deepEqual(failedResult('failed', reg, false), { rc: 2, stdout: '', stderr: 'e', changed: false, msg: 'm' })
    assert.equal(failedResult('ok', reg, false), undefined)
    // a secret over two lines in stderr: masked whole, then split, it never shows in parts
    const masker = new Masker()
    masker.add('-----BEGIN KEY-----\nsecretbody')
    const leaked = registeredResult({
      status: 'failed',
      msg: 'm',
      data: { rc: 1, ...streams({ stdout: '', stderr: 'key:\n-----BEGIN KEY-----\nsecretbody\n' }) },
    })
    const shown = withStreamLines(masker.maskDeep(failedResult('failed', leaked, false)!))
    assert.deepEqual(shown.stderr_lines, ['key:', '********'])
    assert.ok(!JSON.stringify(shown).includes('secretbody'))
    assert.equal(failedResult('failed', reg, true), undefined)
  })
})
