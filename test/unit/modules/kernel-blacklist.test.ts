import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { blacklistLines, editBlacklist } from '../../../modules/kernel-blacklist.js'

describe('kernel_blacklist', () => {
  it("reads lines as Ansible's module does: universal newlines, trailing whitespace stripped, no empty last line", () => {
    assert.deepEqual(blacklistLines('# c\r\nblacklist foo  \r\n  blacklist bar\rlast \t'), ['# c', 'blacklist foo', '  blacklist bar', 'last'])
    assert.deepEqual(blacklistLines(''), [])
    assert.deepEqual(blacklistLines('\n\n'), ['', ''])
  })

  it('present: a stripped `blacklist NAME` line counts (any blanks between), a comment or a trailing word does not', () => {
    assert.deepEqual(editBlacklist(['  blacklist\t floppy'], 'floppy', 'present'), { lines: ['  blacklist\t floppy'], blacklisted: true })
    for (const l of ['#blacklist floppy', 'blacklist floppy # x', 'blacklist floppy2', 'blacklistfloppy']) {
      assert.deepEqual(editBlacklist([l], 'floppy', 'present'), { lines: [l, 'blacklist floppy'], blacklisted: true }, l)
    }
  })

  it('absent drops every such line and keeps the rest; the name is literal, not a pattern', () => {
    const lines = ['# x', 'blacklist bar', ' blacklist  bar ', '#blacklist bar', 'blacklist b.r']
    assert.deepEqual(editBlacklist(lines, 'bar', 'absent'), { lines: ['# x', '#blacklist bar', 'blacklist b.r'], blacklisted: false })
    assert.deepEqual(editBlacklist(['blacklist bar'], 'b.r', 'absent'), { lines: ['blacklist bar'], blacklisted: false })
  })
})
