/**
 * patch's pure parts against cases recorded from ansible.posix.patch (Debian's ansible, run locally
 * with a logging `patch` on PATH, so the argv of each run is recorded).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyArgs, doneCheckArgs, patchFailure, type PatchOptions } from '../../../modules/patch.js'

const TMP = '/root/.ansible/tmp/ansible-tmp-1796317099.275221-10160-112584188191035/hello.patch'
const one: PatchOptions = {
  strip: 0,
  directory: '/tmp/hbrec/pt/w',
  input: TMP,
  binary: true,
  ignoreWhitespace: true,
  dest: '/tmp/hbrec/pt/w/hello.txt',
  state: 'present',
}
const args = (line: string) => [...line.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)

describe('patch: the arguments Ansible gives patch', () => {
  it('present, dest, binary, ignore_whitespace, backup: the reverse dry run, then the dry run of check mode, then the run', () => {
    assert.deepEqual(
      doneCheckArgs(one),
      args(
        `[--quiet] [--forward] [--strip=0] [--directory=/tmp/hbrec/pt/w] [--input=${TMP}] [--dry-run] [--binary] [--ignore-whitespace] [/tmp/hbrec/pt/w/hello.txt] [--reverse]`,
      ),
    )
    assert.deepEqual(
      applyArgs(one, true, true),
      args(
        `[--quiet] [--forward] [--batch] [--reject-file=-] [--strip=0] [--directory=/tmp/hbrec/pt/w] [--input=${TMP}] [--dry-run] [--binary] [--ignore-whitespace] [/tmp/hbrec/pt/w/hello.txt] [--backup] [--version-control=numbered]`,
      ),
    )
    assert.deepEqual(
      applyArgs(one, false, true),
      args(
        `[--quiet] [--forward] [--batch] [--reject-file=-] [--strip=0] [--directory=/tmp/hbrec/pt/w] [--input=${TMP}] [--binary] [--ignore-whitespace] [/tmp/hbrec/pt/w/hello.txt] [--backup] [--version-control=numbered]`,
      ),
    )
  })

  it('absent: the forward dry run decides, the run reverses', () => {
    const absent = { ...one, binary: false, ignoreWhitespace: false, state: 'absent' as const }
    assert.deepEqual(
      doneCheckArgs(absent),
      args(`[--quiet] [--forward] [--strip=0] [--directory=/tmp/hbrec/pt/w] [--input=${TMP}] [--dry-run] [/tmp/hbrec/pt/w/hello.txt]`),
    )
    assert.deepEqual(
      applyArgs(absent, false, false),
      args(
        `[--quiet] [--forward] [--batch] [--reject-file=-] [--strip=0] [--directory=/tmp/hbrec/pt/w] [--input=${TMP}] [/tmp/hbrec/pt/w/hello.txt] [--reverse]`,
      ),
    )
  })

  it('basedir with strip 1 and a patch on the host: no file argument', () => {
    const tree: PatchOptions = {
      strip: 1,
      directory: '/tmp/hbrec/pt/tree',
      input: '/tmp/hbrec/pt/multi.patch',
      binary: false,
      ignoreWhitespace: false,
      state: 'absent',
    }
    assert.deepEqual(
      doneCheckArgs(tree),
      args('[--quiet] [--forward] [--strip=1] [--directory=/tmp/hbrec/pt/tree] [--input=/tmp/hbrec/pt/multi.patch] [--dry-run]'),
    )
    assert.deepEqual(
      applyArgs(tree, false, false),
      args('[--quiet] [--forward] [--batch] [--reject-file=-] [--strip=1] [--directory=/tmp/hbrec/pt/tree] [--input=/tmp/hbrec/pt/multi.patch] [--reverse]'),
    )
  })
})

describe('patch: the message of a patch that does not apply', () => {
  it("patch's stderr, else its stdout, as printed (Ansible's msg keeps the newline)", () => {
    assert.equal(patchFailure(1, '1 out of 1 hunk FAILED\n', ''), '1 out of 1 hunk FAILED\n')
    assert.equal(
      patchFailure(2, '', '/usr/bin/patch: **** Only garbage was found in the patch input.\n'),
      '/usr/bin/patch: **** Only garbage was found in the patch input.\n',
    )
  })
  it("the checks before patch runs, in Ansible's words", () => {
    assert.equal(
      patchFailure(97, '', "dest /tmp/hbrec/pt/w/nope.txt doesn't exist or not writable\n"),
      "dest /tmp/hbrec/pt/w/nope.txt doesn't exist or not writable",
    )
  })
})
