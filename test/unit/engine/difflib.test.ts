/**
 * --diff's hunks as ansible-playbook prints them (Python's difflib.unified_diff under its callback):
 * expected texts made by Python 3.11's difflib (an edit of geerlingguy.memcached's config, where a
 * Myers diff aligns the empty lines differently; a one-line range without its length; a last line
 * without a newline; 200 lines and more, with difflib's popular-line heuristic).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { contentDiffLines, unifiedDiff } from '../../../engine/report/difflib.js'
import { renderDiff } from '../../../engine/report/format.js'

const ud = (a: string, b: string) => unifiedDiff(a, b, 'before: /etc/x', 'after: /etc/x').join('')

describe("difflib's unified diff", () => {
  it('aligns as SequenceMatcher does: the longest matching block first', () => {
    const before = 'logfile /var/log/memcached.log\n-v\n\n# Start with a cap\n-m 32\n'
    const after = 'logfile /var/log/memcached.log\n\n\n# Start with a cap\n-m 48\n'
    assert.equal(
      ud(before, after),
      '--- before: /etc/x\n+++ after: /etc/x\n@@ -1,5 +1,5 @@\n logfile /var/log/memcached.log\n--v\n+\n \n # Start with a cap\n--m 32\n+-m 48\n',
    )
  })
  it('ranges: a single line without its length, an empty one at the line before', () => {
    assert.equal(ud('', 'deb x ./\n'), '--- before: /etc/x\n+++ after: /etc/x\n@@ -0,0 +1 @@\n+deb x ./\n')
    assert.equal(ud('same\n', 'same\n'), '')
  })
  it("a last line without a newline carries Ansible's note", () => {
    assert.equal(
      ud('a\nb', 'a\nc'),
      '--- before: /etc/x\n+++ after: /etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
    )
    assert.deepEqual(contentDiffLines('/f', 'a\nb', 'a\nc'), [
      '--- before: /f',
      '+++ after: /f',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+c',
      '\\ No newline at end of file',
    ])
  })
  it('200 lines and more: popular lines do not start a match, but extend one', () => {
    const before = Array.from({ length: 210 }, (_, i) => (i % 3 === 0 ? '}\n' : `line ${i}\n`)).join('')
    const after = before.replace('line 100\n', 'line 100 changed\n')
    assert.equal(
      ud(before, after),
      '--- before: /etc/x\n+++ after: /etc/x\n@@ -98,7 +98,7 @@\n line 97\n line 98\n }\n-line 100\n+line 100 changed\n line 101\n }\n line 103\n',
    )
  })
  it('the run output prints it under the attribute lines', () => {
    assert.deepEqual(renderDiff({ path: '/etc/x', before: '', after: 'one\n', attrs: { mode: ['0644', '0600'] } }), [
      '--- before: /etc/x (mode: 0644)',
      '+++ after: /etc/x (mode: 0600)',
      '--- before: /etc/x',
      '+++ after: /etc/x',
      '@@ -0,0 +1 @@',
      '+one',
    ])
  })
})
