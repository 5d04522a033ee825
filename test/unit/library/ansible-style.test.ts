import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { LocalConnection } from '../../../engine/connection/local.js'
import { EffectStore } from '../../../engine/effects.js'
import { ansibleStyleModule, moduleOutcome, moduleResult, moduleStyle } from '../../../engine/library/ansible-style.js'
import { runModule } from '../../../engine/module-runner.js'
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

  it('check mode: one that fails on what an earlier planned change makes (a database postgresql_db would create) may change, naming that task', async () => {
    const dir = testDir('ansible-style-check')
    // WANT_JSON: fails while the path its db names is not there, as postgresql_privs on a missing database
    const src = `#!/usr/bin/python3\n# WANT_JSON\nimport json, os, sys\na = json.load(open(sys.argv[1]))\nok = os.path.exists(os.path.join(a["root"], a["db"]))\nprint(json.dumps({"changed": False} if ok else {"failed": True, "msg": "database %s does not exist\\n" % a["db"]}))\n`
    writeFileSync(join(dir, 'privs'), src)
    const mod = ansibleStyleModule(join(dir, 'privs'))!
    const env = (effects: EffectStore) => ({ conn: new LocalConnection('localhost'), check: true, diff: false, effects, where: { task: 'grant' } })
    const args = { root: dir, db: 'app_db', roles: 'ro_user,reporter' }
    const alone = await runModule(mod, args, env(new EffectStore()))
    assert.deepEqual([alone.status, alone.msg], ['failed', 'database app_db does not exist\n'])
    const made = new EffectStore()
    made.record([{ fact: 'postgres.db', key: 'app_db', value: { db: { exists: true } } }], [], 'the databases are present')
    const r = await runModule(mod, args, env(made))
    assert.deepEqual([r.status, r.mayChange], ['changed', true], r.msg)
    assert.equal(
      r.reason,
      "may change: privs app_db (it would fail now: database app_db does not exist) is unknown until task 'the databases are present' has run",
    )
    // a name in a comma-separated list too (a role postgresql_user would create)
    const roles = new EffectStore()
    roles.record([{ fact: 'postgres.role', key: 'reporter', value: {} }], [], 'the users are present')
    assert.equal((await runModule(mod, args, env(roles))).mayChange, true)
    // both made earlier: the task that makes what the message names (geerlingguy.postgresql's privileges)
    roles.record([{ fact: 'postgres.db', key: 'app_db', value: { db: { exists: true } } }], [], 'the databases are present')
    const rolesFirst = { root: dir, roles: 'ro_user,reporter', db: 'app_db' }
    assert.match((await runModule(mod, rolesFirst, env(roles))).reason ?? '', /privs app_db .* until task 'the databases are present' has run$/)
  })

  it('check mode: one that fails for a Python library an earlier planned apt install brings may change, naming that task', async () => {
    const dir = testDir('ansible-style-check-lib')
    // as community.mysql's modules fail while PyMySQL is not installed
    const src = `#!/usr/bin/python3\n# WANT_JSON\nimport json\nprint(json.dumps({"failed": True, "msg": "A MySQL module is required: for Python 3.X mysqlclient or PyMySQL."}))\n`
    writeFileSync(join(dir, 'db'), src)
    const mod = ansibleStyleModule(join(dir, 'db'))!
    const env = (effects: EffectStore) => ({
      conn: new LocalConnection('localhost'),
      check: true,
      diff: false,
      effects,
      where: { task: 'create the database' },
    })
    assert.equal((await runModule(mod, { name: 'foodb' }, env(new EffectStore()))).status, 'failed')
    const removed = new EffectStore()
    removed.record([{ fact: 'apt.package', key: 'python3-pymysql', value: { name: 'python3-pymysql', status: 'not-installed' } }], [], 'remove it')
    assert.equal((await runModule(mod, { name: 'foodb' }, env(removed))).status, 'failed', 'a removal brings no library')
    const installed = new EffectStore()
    installed.record([{ fact: 'apt.package', key: 'python3-pymysql', value: { name: 'python3-pymysql', status: 'installed' } }], [], 'Install Mysql package')
    // a group named like the database, created earlier, is not what it lacks
    installed.record([{ fact: 'group.info', key: 'foodb', value: {} }], [], 'Add group')
    const r = await runModule(mod, { name: 'foodb' }, env(installed))
    assert.deepEqual([r.status, r.mayChange], ['changed', true], r.msg)
    assert.match(
      r.reason ?? '',
      /^may change: db python3-pymysql \(it would fail now: A MySQL module is required.*\) is unknown until task 'Install Mysql package' has run$/,
    )
  })

  it('check mode: one that fails for a program an earlier planned change may install (get_bin_path) may change, naming that task', async () => {
    const dir = testDir('ansible-style-check-bin')
    // as community.general.supervisorctl fails while pip has not yet put supervisorctl in /usr/local/bin
    const src = `#!/usr/bin/python3\n# WANT_JSON\nimport json\nprint(json.dumps({"failed": True, "msg": 'Failed to find required executable "supervisorctl" in paths: ${dir}/local/bin:/usr/sbin:/usr/bin'}))\n`
    writeFileSync(join(dir, 'ctl'), src)
    const mod = ansibleStyleModule(join(dir, 'ctl'))!
    const env = (effects: EffectStore) => ({ conn: new LocalConnection('localhost'), check: true, diff: false, effects, where: { task: 'restart web' } })
    assert.equal((await runModule(mod, { name: 'web' }, env(new EffectStore()))).status, 'failed', 'nothing planned: it fails')
    const other = new EffectStore()
    other.record([], [{ under: join(dir, 'elsewhere') }], 'unrelated')
    assert.equal((await runModule(mod, { name: 'web' }, env(other))).status, 'failed', 'an unknown off its search path changes nothing')
    const pip = new EffectStore()
    pip.record([], [{ under: join(dir, 'local') }], 'Ensure Supervisor is installed')
    const r = await runModule(mod, { name: 'web' }, env(pip))
    assert.deepEqual([r.status, r.mayChange], ['changed', true], r.msg)
    assert.match(
      r.reason ?? '',
      /^may change: ctl .*\/local\/bin\/supervisorctl \(it would fail now: Failed to find required executable .*\) is unknown until task 'Ensure Supervisor is installed' has run$/,
    )
  })
})
