/** The pure editors behind replace and blockinfile, and Python regex translation (expected values from Ansible 2.14 runs). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { editBlock, type BlockArgs } from '../../../modules/files/block.js'
import { pyRegex, subn } from '../../../modules/files/py-regex.js'

const block = (a: Partial<BlockArgs>): BlockArgs => ({
  present: true,
  block: '',
  marker: '# {mark} ANSIBLE MANAGED BLOCK',
  markerBegin: 'BEGIN',
  markerEnd: 'END',
  ...a,
})

describe('Python regular expressions', () => {
  it('named groups, back-references, \\A \\Z and leading flags translate', () => {
    assert.equal(subn(pyRegex('^(?P<k>\\w+)=(?P=k)$', 'r', 'gm'), '\\g<k>', 'a=a\nb=c\n').text, 'a\nb=c\n')
    assert.equal(subn(pyRegex('\\Ax', 'r', 'gm'), 'y', 'x\nx').text, 'y\nx')
    assert.equal(subn(pyRegex('x\\Z', 'r', 'gm'), 'y', 'x\nx').text, 'x\ny')
    assert.equal(subn(pyRegex('(?i)^HOST', 'r', 'gm'), 'h', 'host\nHost').text, 'h\nh')
    assert.equal(subn(pyRegex('a\\\\A', 'r', 'g'), '-', 'a\\A').text, '-', 'an escaped backslash is not \\A')
    assert.throws(() => pyRegex('(?x) a', 'r'), /verbose regular expressions/)
  })
  it('empty matches and counts as re.subn', () => {
    assert.deepEqual(subn(pyRegex('x*', 'r'), '-', 'abxd'), { text: '-a-b--d-', count: 5 })
    assert.deepEqual(subn(pyRegex('^', 'r', 'm'), '# ', 'a\nb'), { text: '# a\n# b', count: 2 })
  })
})

describe('blockinfile editing', () => {
  it('inserts after the last insertafter match, adding the missing final newline first', () => {
    assert.equal(
      editBlock('a\nb\nc', block({ block: 'x\ny', insertafter: '^b$' })),
      'a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\nc',
    )
    assert.equal(editBlock('a', block({ block: 'x' })), 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n')
  })
  it('replaces the block between the last markers wherever it is; an empty block removes it', () => {
    const t = 'p\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nq\n'
    assert.equal(editBlock(t, block({ block: 'new', insertbefore: 'BOF' })), 'p\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nq\n')
    assert.equal(editBlock(t, block({ block: '' })), 'p\nq\n')
    assert.equal(editBlock(t, block({ present: false, block: 'ignored' })), 'p\nq\n')
  })
  it('prepend_newline / append_newline add blank lines only where there is none', () => {
    const r = editBlock('a\nb\n', block({ block: 'x', insertafter: '^a$', prependNewline: true, appendNewline: true }))
    assert.equal(r, 'a\n\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n\nb\n')
    assert.equal(
      editBlock('x\n', block({ block: 'x', insertbefore: 'BOF', prependNewline: true })),
      '# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nx\n',
    )
  })
  it('a (?m) insertafter regex searches the whole file', () => {
    assert.equal(
      editBlock('a\nb\nc\n', block({ block: 'x', insertafter: '(?m)^b\\nc' })),
      'a\nb\nc\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n',
    )
  })
})
