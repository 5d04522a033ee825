import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ansibleStyleModule, moduleOutcome, moduleResult, moduleStyle } from '../../../engine/library/ansible-style.js'
import { validateParams } from '../../../modules/schema.js'
import { testDir } from '../../helpers/temp-dir.js'

describe('modules written for Ansible', () => {
  it("reads a module's style as Ansible's module_common does", () => {
    assert.equal(moduleStyle('#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n'), 'new')
    assert.equal(moduleStyle('import ansible.module_utils.basic\n'), 'new')
    assert.equal(moduleStyle('#!/usr/bin/python\n# WANT_JSON\nimport json\n'), 'json')
    assert.equal(moduleStyle('#!/bin/sh\n. "$1"\n'), 'old')
  })

  it("finds the result among other lines (Ansible's _filter_non_json_lines); none is MODULE FAILURE with the streams", () => {
    assert.deepEqual(moduleResult('noise\n{"changed": true,\n "x": 1}\ntrailer\n'), { changed: true, x: 1 })
    assert.equal(moduleResult('Traceback (most recent call last):\n'), undefined)
    const failed = moduleOutcome({ rc: 1, stdout: '', stderr: 'ImportError: x' })
    assert.deepEqual(failed, {
      failed: true,
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
      data: { module_stdout: '', module_stderr: 'ImportError: x', rc: 1 },
    })
  })

  it('an outcome: failed and changed as the module says, its msg, the rest as return values (with the lines of stdout and stderr, as Ansible adds them), invocation dropped', () => {
    const out = moduleOutcome({ rc: 0, stdout: '{"changed": true, "msg": "done", "path": "/x", "invocation": {"module_args": {}}}', stderr: '' })
    assert.deepEqual(out, { failed: false, changed: true, msg: 'done', data: { msg: 'done', path: '/x' } })
    const printed = moduleOutcome({ rc: 0, stdout: '{"changed": false, "stdout": "a\\nb\\n", "stderr": ""}', stderr: '' })
    assert.deepEqual(printed.data, { stdout: 'a\nb\n', stderr: '', stdout_lines: ['a', 'b'], stderr_lines: [] })
    assert.equal(moduleOutcome({ rc: 1, stdout: '{"failed": true, "msg": "no"}', stderr: '' }).failed, true)
  })

  it('loads a .py module, an extension-less program, and skips what is no program; its arguments are its own to check', () => {
    const dir = testDir('ansible-style-unit')
    writeFileSync(join(dir, 'mine.py'), 'from ansible.module_utils.basic import AnsibleModule\n')
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\necho {}\n')
    writeFileSync(join(dir, 'README'), 'notes\n')
    const mine = ansibleStyleModule(join(dir, 'mine.py'))!
    assert.equal(mine.name, 'mine')
    assert.equal(ansibleStyleModule(join(dir, 'tool'))!.name, 'tool')
    assert.equal(ansibleStyleModule(join(dir, 'README')), undefined)
    assert.deepEqual(validateParams(mine, { anything: 1, other: 'x', gone: undefined }), { anything: 1, other: 'x' })
  })
})
