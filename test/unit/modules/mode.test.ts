import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applySymbolic, fmtMode, parseMode, resolveMode } from '../../../modules/files/mode.js'
import { renderFileDiff } from '../../../engine/report/diff.js'

describe('mode parsing (as Ansible)', () => {
  it('octal strings, ints as mode bits, preserve only where allowed', () => {
    assert.deepEqual(parseMode('0644'), { kind: 'octal', bits: 0o644, text: '0644' })
    assert.deepEqual(parseMode('755'), { kind: 'octal', bits: 0o755, text: '0755' })
    assert.deepEqual(parseMode('01777'), { kind: 'octal', bits: 0o1777, text: '1777' })
    assert.deepEqual(parseMode(384), { kind: 'octal', bits: 0o600, text: '0600' }) // YAML 1.1 0600
    assert.deepEqual(parseMode('preserve', 'mode', true), { kind: 'preserve' })
    assert.throws(() => parseMode('preserve'), /only supported by copy and template/)
    assert.throws(() => parseMode('0999'), /must be octal/)
    assert.throws(() => parseMode('u=rwq'), /bad symbolic clause "u=rwq"/)
    assert.throws(() => parseMode(0o17777), /between 0 and 07777/)
    assert.throws(() => parseMode(true), /argument 'mode' must be an octal string/)
    assert.throws(() => parseMode('0644; rm -rf /'), /bad symbolic clause/)
  })
  it('symbolic modes apply to the current mode', () => {
    assert.equal(fmtMode(applySymbolic('u=rw,g=r,o=', 0o777, false)), '0640')
    assert.equal(fmtMode(applySymbolic('g+w', 0o644, false)), '0664')
    assert.equal(fmtMode(applySymbolic('o-rwx', 0o757, false)), '0750')
    assert.equal(fmtMode(applySymbolic('a+X', 0o644, false)), '0644') // X: no x bit, not a dir
    assert.equal(fmtMode(applySymbolic('a+X', 0o644, true)), '0755')
    assert.equal(fmtMode(applySymbolic('a+X', 0o744, false)), '0755')
    assert.equal(fmtMode(applySymbolic('u+s,g+s,o+t', 0o755, true)), '7755')
    assert.equal(fmtMode(applySymbolic('g=u', 0o700, false)), '0770')
    assert.equal(fmtMode(applySymbolic('+w', 0o444, false)), '0644') // "" users: masked by umask 022
    assert.equal(fmtMode(applySymbolic('u=rwx,g=rx,o=', 0o000, true)), '0750')
    assert.equal(fmtMode(applySymbolic('u=rw-x+x', 0o000, false)), '0700')
  })
  it('new paths start from 0644 / 0755', () => {
    assert.equal(fmtMode(resolveMode({ kind: 'symbolic', text: 'o=' }, undefined, false)), '0640')
    assert.equal(fmtMode(resolveMode({ kind: 'symbolic', text: 'o=' }, undefined, true)), '0750')
    assert.equal(fmtMode(resolveMode({ kind: 'preserve' }, 0o644, false, 0o755)), '0755')
  })
})

describe('renderFileDiff', () => {
  it('attribute lines, then a unified diff with before/after headers', () => {
    const text = renderFileDiff({ path: '/etc/x', before: 'a\nb\n', after: 'a\nc\n', attrs: { mode: ['0644', '0600'] } })
    assert.equal(
      text,
      ['--- before: mode 0644', '+++ after: mode 0600', '--- before: /etc/x', '+++ after: /etc/x', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', ''].join('\n'),
    )
    assert.equal(renderFileDiff({ path: '/x', before: '', after: '' }), '')
  })
})
