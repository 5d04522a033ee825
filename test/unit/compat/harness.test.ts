/** The compat harness's reading of ansible-playbook / acplay output (test/compat/harness.ts). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { disagreements, lineDiff, parseRecap, parseTasks, type ToolRun } from '../../compat/harness.js'

const ANSIBLE = `
PLAY [all] *********************************************************************

TASK [Gathering Facts] *********************************************************
ok: [b-x]

TASK [include_tasks] ***********************************************************
included: /corpus/x/setup-Debian.yml for b-x

TASK [role : Packages] *********************************************************
changed: [b-x] => (item=a)
ok: [b-x] => (item=b)

TASK [fails] *******************************************************************
fatal: [b-x]: FAILED! => {"changed": false, "msg": "boom"}
...ignoring

TASK [delegated] ***************************************************************
ok: [b-x -> localhost]

RUNNING HANDLER [restart] ******************************************************
changed: [b-x]

PLAY RECAP *********************************************************************
b-x                        : ok=6    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1
`

const run = (out: string, host: string): ToolRun => {
  const tasks = parseTasks(out, host)
  return {
    code: 0,
    stdout: out,
    stderr: '',
    recap: parseRecap(out, host)!,
    tasks,
  }
}

describe('compat harness', () => {
  it('reads the recap and each task with its statuses, per item, ignored and delegated', () => {
    assert.deepEqual(parseRecap(ANSIBLE, 'b-x'), { ok: 6, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 1 })
    assert.deepEqual(
      parseTasks(ANSIBLE, 'b-x').map((t) => `${t.header}: ${t.results.join(' ')}`),
      [
        'TASK [Gathering Facts]: ok',
        'TASK [include_tasks]: included',
        'TASK [role : Packages]: changed item ok item',
        'TASK [fails]: fatal ignored',
        'TASK [delegated]: ok',
        'RUNNING HANDLER [restart]: changed',
      ],
    )
    assert.equal(parseRecap(ANSIBLE, 'a-x'), undefined)
  })

  it('counts included results as Ansible does: an acplay run without them differs', () => {
    const theirs = run(ANSIBLE, 'b-x')
    const withInclude = ANSIBLE.replaceAll('b-x', 'a-x')
    assert.deepEqual(disagreements(theirs, run(withInclude, 'a-x')), [])
    const withoutInclude = withInclude.replace(/TASK \[include_tasks\][^\n]*\nincluded:[^\n]*\n/, '').replace('ok=6', 'ok=5')
    assert.deepEqual(disagreements(theirs, run(withoutInclude, 'a-x'))[0], 'recap ok: ansible 6, acplay 5')
  })

  it('names the first task where the runs part', () => {
    const mine = run(ANSIBLE.replace('changed: [b-x] => (item=a)', 'ok: [b-x] => (item=a)').replace('changed=2', 'changed=1'), 'b-x')
    const out = disagreements(run(ANSIBLE, 'b-x'), mine)
    assert.equal(out[0], 'recap changed: ansible 2, acplay 1')
    assert.equal(out[1], 'tasks differ from #3:')
    assert.equal(out[2], '  - ansible: TASK [role : Packages]: changed item ok item')
    assert.ok(out.includes('  + acplay:  TASK [role : Packages]: ok item ok item'))
  })

  it('diffs snapshot lines both ways, counting repeats', () => {
    assert.deepEqual(lineDiff(['a', 'b', 'b'], ['a', 'b', 'c']), ['- ansible: b', '+ acplay:  c'])
    assert.deepEqual(lineDiff(['x'], ['x']), [])
  })
})
