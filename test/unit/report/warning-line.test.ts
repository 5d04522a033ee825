/**
 * Warnings wrapped as Ansible's Display wraps them (textwrap.wrap at 79 columns, or the terminal's
 * width less one): expected values from Python's textwrap with Ansible's arguments.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { warningLine } from '../../../engine/report/format.js'

describe('warningLine', () => {
  it('a short warning is one line', () => {
    assert.equal(warningLine('the word is a', 'warning', 79), '[WARNING]: the word is a')
  })

  it('a long one breaks at spaces and hyphens, a tab becomes spaces, a newline a space', () => {
    const msg = `a long one:\t/srv/${'x'.repeat(90)} then well-known\nself-contained words end`
    // textwrap.wrap('[WARNING]: ' + msg, 79)
    assert.equal(warningLine(msg, 'warning', 79), `[WARNING]: a long one:  /srv/${'x'.repeat(50)}\n${'x'.repeat(40)} then well-known self-contained words\nend`)
  })

  it('a deprecation keeps the spaces at its breaks (drop_whitespace=False) and is trimmed', () => {
    const msg = 'old words go away. This feature will be removed from acme.words in version 3.0.0.'
    assert.equal(
      warningLine(msg, 'deprecation', 79),
      '[DEPRECATION WARNING]: old words go away. This feature will be removed from \nacme.words in version 3.0.0.',
    )
  })

  it('a wider terminal wraps wider', () => {
    const msg = 'word '.repeat(30).trim()
    assert.equal(warningLine(msg, 'warning', 200), `[WARNING]: ${msg}`)
  })
})
