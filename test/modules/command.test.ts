/** command, shell and ping on a real Debian host: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { command } from '../../modules/command.js'
import { ping } from '../../modules/ping.js'
import { shell } from '../../modules/shell.js'
import type { ModuleSpec } from '../../modules/types.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const HOSTILE = ['a b', "it's", '"dq"', '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'x;touch /tmp/pwned', 'line1\nline2', '$HOME', '*']

describe('command, shell and ping on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['c1'])
  const H = 'c1'

  for (const [i, { label, env }] of osEnvs(bed, H).entries()) {
    describe(label, () => {
      const dir = `/tmp/cmd dir ${i}`

      it('ping answers pong (ok, reason pong)', async () => {
        const r = await realRun(ping, {}, env())
        assert.equal(r.status, 'ok')
        assert.equal(r.reason, 'pong')
        assert.deepEqual(r.data, { ping: 'pong' })
        assert.equal((await realRun(ping, { data: 'crash' }, env())).status, 'failed')
      })

      it('command runs argv as is: hostile arguments arrive literally, no shell', async () => {
        const r = await realRun(command, { argv: ['printf', '%s\\n', ...HOSTILE] }, env())
        assert.equal(r.status, 'changed', r.msg)
        assert.equal(r.data.stdout, HOSTILE.join('\n'))
        assert.equal(r.data.rc, 0)
        assert.deepEqual(r.data.stdout_lines, HOSTILE.join('\n').split('\n'))
        await sh(bed(), H, 'test ! -e /tmp/pwned')
      })

      it('command splits cmd like shlex; shell operators are plain arguments', async () => {
        const r = await realRun(command, { cmd: `echo 'a  b' "c \\"d\\"" e\\ f ; touch /tmp/pwned | x` }, env())
        assert.equal(r.data.stdout, 'a  b c "d" e f ; touch /tmp/pwned | x')
        assert.deepEqual(r.data.cmd, ['echo', 'a  b', 'c "d"', 'e f', ';', 'touch', '/tmp/pwned', '|', 'x'])
        await sh(bed(), H, 'test ! -e /tmp/pwned')
        const who = await realRun(command, { cmd: 'id -un' }, env())
        assert.equal(who.data.stdout, 'root', 'become reaches root')
      })

      it("a non-zero exit code fails the task with Ansible's result: cmd, rc, stdout, stderr, their lines, times, changed", async () => {
        const r = await realRun(shell, { cmd: 'echo out; echo err >&2; exit 3' }, env())
        assert.equal(r.status, 'failed')
        assert.equal(r.msg, 'non-zero return code')
        const { start, end, delta, ...rest } = r.data
        assert.deepEqual(rest, {
          cmd: 'echo out; echo err >&2; exit 3',
          rc: 3,
          stdout: 'out',
          stderr: 'err',
          stdout_lines: ['out'],
          stderr_lines: ['err'],
          changed: true,
        })
        assert.match(String(start), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
        assert.ok(String(end) >= String(start))
        assert.match(String(delta), /^0:00:0\d\.\d{6}$/)
        const ls = await realRun(command, { cmd: 'ls /nonexistent-dir' }, env())
        assert.deepEqual(
          [ls.data.cmd, ls.data.rc, ls.data.stderr],
          [['ls', '/nonexistent-dir'], 2, "ls: cannot access '/nonexistent-dir': No such file or directory"],
        )
        assert.equal((await realRun(command, { argv: ['false'] }, env())).status, 'failed')
        assert.equal((await realRun(command, { argv: ['/no/such/program'] }, env())).status, 'failed')
      })

      it('chdir (with spaces), stdin (with and without the newline)', async () => {
        await sh(bed(), H, `mkdir -p '${dir}'`)
        const r = await realRun(command, { cmd: 'pwd', chdir: dir }, env())
        assert.equal(r.data.stdout, dir)
        const s = await realRun(command, { argv: ['od', '-An', '-c'], stdin: "it's $(x)" }, env())
        assert.match(String(s.data.stdout), /i\s+t\s+'\s+s\s+\$\s+\(\s+x\s+\)\s+\\n/)
        const n = await realRun(command, { argv: ['wc', '-c'], stdin: 'abc', stdin_add_newline: false }, env())
        assert.equal(String(n.data.stdout).trim(), '3')
        const bad = await realRun(command, { cmd: 'pwd', chdir: '/no/such dir' }, env())
        assert.equal(bad.status, 'failed')
      })

      it('shell runs cmd as a script (pipes, variables, redirections), with executable', async () => {
        const r = await realRun(shell, { cmd: `x='a b'; echo "$x" | tr a-z A-Z > "${dir}/out"; cat "${dir}/out"` }, env())
        assert.equal(r.status, 'changed', r.msg)
        assert.equal(r.data.stdout, 'A B')
        const b = await realRun(shell, { cmd: 'echo ${BASH_VERSION:+bash}', executable: '/bin/bash' }, env())
        assert.equal(b.data.stdout, 'bash')
      })

      it('creates/removes: skipped (ok with reason) when the path says so, also in check mode', async () => {
        const marker = `${dir}/marker`
        await sh(bed(), H, `rm -f '${marker}'`)
        const args = { cmd: `touch "${marker}"`, creates: marker }
        const c = await checkRun(shell, args, env())
        // check mode does not run it; a command that would run is changed when it runs (issue 17), its result unknown
        assert.deepEqual([c.status, c.mayChange, c.unknown !== undefined], ['changed', undefined, true])
        await sh(bed(), H, `test ! -e '${marker}'`)
        assert.equal((await realRun(shell, args, env())).status, 'changed')
        const again = await realRun(shell, args, env())
        assert.equal(again.status, 'ok')
        assert.equal(again.reason, `skipped, since ${marker} exists`)
        assert.deepEqual([again.data.msg, again.data.start, again.data.cmd], [`Did not run command since '${marker}' exists`, null, args.cmd])
        assert.equal((await checkRun(shell, args, env())).status, 'ok')
        const rel = await realRun(command, { cmd: 'false', creates: 'marker', chdir: dir }, env())
        assert.equal(rel.status, 'ok', 'creates is relative to chdir')
        const rm = await realRun(command, { argv: ['rm', marker], removes: marker }, env())
        assert.equal(rm.status, 'changed')
        const rm2 = await realRun(command, { argv: ['rm', marker], removes: marker }, env())
        assert.equal(rm2.reason, `skipped, since ${marker} does not exist`)
      })

      it('check mode sees a path an earlier change would create (creates decides: ok)', async () => {
        const effects = new EffectStore()
        effects.record([{ fact: 'path.stat', key: '/opt/will-exist', value: { exists: true, type: 'file' } }])
        const r = await checkRun(command, { cmd: 'false', creates: '/opt/will-exist' }, { ...env(), effects })
        assert.equal(r.status, 'ok')
      })
    })
  }

  describe('arguments', () => {
    const env = osEnvs(bed, H)[0]!.env
    it('rejects bad arguments before touching the host', async () => {
      const cases: [ModuleSpec, Record<string, unknown>, RegExp][] = [
        [command as ModuleSpec, {}, /one of these arguments is required: cmd, argv/],
        [command, { cmd: 'x', argv: ['x'] }, /mutually exclusive: cmd, argv/],
        [command, { cmd: "echo 'unbalanced" }, /cannot split argument 'cmd': no closing quotation/],
        [command, { cmd: '   ' }, /no command given/],
        [command, { cmd: 'pwd', chdir: 'relative' }, /argument 'chdir' must be an absolute path/],
        [command, { cmd: 'x', stdin_add_newline: 'sure' }, /argument 'stdin_add_newline' must be a boolean/],
        [shell, { cmd: 'x', bogus: true }, /unknown argument 'bogus'/],
        [shell, {}, /missing required argument 'cmd'/],
        [ping, { data: ['x'] }, /argument 'data' must be a string/],
      ]
      for (const [mod, args, msg] of cases) {
        const r = await realRun(mod, args, env())
        assert.equal(r.status, 'failed', JSON.stringify(args))
        assert.match(r.msg!, msg)
      }
    })
  })
})
