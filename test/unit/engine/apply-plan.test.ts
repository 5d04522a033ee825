/** The plan script, run for real with /bin/sh on this machine: atomic uploads, stdin, quoting, failure. */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { failedStep, planScript, planSteps } from '../../../engine/apply-plan.js'
import { shScript } from '../../../modules/types.js'

let dir: string
const sh = (script: string) => spawnSync('/bin/sh', ['-s'], { input: script, encoding: 'utf8' })

describe('planScript', () => {
  before(() => (dir = mkdtempSync(join(tmpdir(), 'acplay-plan-'))))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('writes uploads atomically with mode, in one batch, then runs the commands after them', () => {
    const a = join(dir, 'a file; $(touch pwned)')
    const b = join(dir, 'b')
    const script = planScript([
      { summary: 'a', commands: [], upload: { content: 'one\n', dest: a, mode: '0600' } },
      { summary: 'b', commands: [{ argv: ['cp', a, `${b}.copy`] }], upload: { content: Buffer.from([0, 1, 2, 255]), dest: b } },
    ])
    const r = sh(script)
    assert.equal(r.status, 0, r.stderr)
    assert.equal(readFileSync(a, 'utf8'), 'one\n')
    assert.equal((statSync(a).mode & 0o777).toString(8), '600')
    assert.deepEqual([...readFileSync(b)], [0, 1, 2, 255])
    assert.equal((statSync(b).mode & 0o777).toString(8), '644')
    assert.equal(readFileSync(`${b}.copy`, 'utf8'), 'one\n')
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('acplay-tmp') || f === 'pwned'),
      [],
    )
  })

  it('a failed validation leaves the destination untouched and no temp file behind', () => {
    const dest = join(dir, 'validated')
    writeFileSync(dest, 'old\n')
    const r = sh(planScript([{ summary: 'v', commands: [], upload: { content: 'new\n', dest, validate: ['false', '%s'] } }]))
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /@@acplay-validate 0 1 {2}\n/)
    assert.equal(readFileSync(dest, 'utf8'), 'old\n')
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('acplay-tmp')),
      [],
    )
  })

  it("a passed validation leaves none of its outputs; a failed one in a directory with a space removes only acplay's own files", () => {
    const passed = join(dir, 'passed')
    const ok = sh(planScript([{ summary: 'v', commands: [], upload: { content: 'new\n', dest: passed, validate: ['cat', '%s'] } }]))
    assert.equal(ok.status, 0, ok.stderr)
    assert.equal(readFileSync(passed, 'utf8'), 'new\n')
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('acplay-tmp')),
      [],
    )
    // "DIR/my files/.acplay-tmp.X" split at its space would name "DIR/my", a file of the user's
    const spaced = join(dir, 'my files')
    execFileSync('mkdir', ['-p', spaced])
    writeFileSync(join(dir, 'my'), 'keep\n')
    const refused = sh(planScript([{ summary: 'v', commands: [], upload: { content: 'x\n', dest: join(spaced, 'conf'), validate: ['false', '%s'] } }]))
    assert.notEqual(refused.status, 0)
    assert.equal(readFileSync(join(dir, 'my'), 'utf8'), 'keep\n')
    assert.deepEqual(readdirSync(spaced), [])
  })

  it('feeds stdin to one command and stops at the first failing command (set -e)', () => {
    const out = join(dir, 'stdin')
    const r = sh(
      planScript([
        {
          summary: 's',
          commands: [{ argv: ['sh', '-c', 'cat > "$1"', 'sh', out], stdin: "it's\n$(x)\n" }, { argv: ['false'] }, { argv: ['touch', join(dir, 'never')] }],
        },
      ]),
    )
    assert.notEqual(r.status, 0)
    assert.equal(readFileSync(out, 'utf8'), "it's\n$(x)\n")
    assert.throws(() => statSync(join(dir, 'never')))
  })

  it('a failure names the step that failed (a command, or a batch of uploads); the mark leaves stderr as it was', () => {
    const ran = (changes: Parameters<typeof planSteps>[0]) => {
      const { script, steps } = planSteps(changes)
      const r = sh(script)
      return { rc: r.status, ...failedStep({ stdout: r.stdout, stderr: r.stderr }, steps) }
    }
    const missing = join(dir, 'missing dir')
    const cmd = ran([{ summary: 'c', commands: [{ argv: ['true'] }, { argv: ['ls', missing] }, { argv: ['touch', join(dir, 'never')] }] }])
    assert.equal(cmd.rc, 2)
    assert.deepEqual(cmd.step, { command: { argv: ['ls', missing] } })
    assert.equal(cmd.out.stderr, `ls: cannot access '${missing}': No such file or directory\n`)
    // no newline at the end of the command's stderr: none is added
    const printf = ran([{ summary: 'p', commands: [shScript('printf %s "$1" >&2; exit 7', 'half a line')] }])
    assert.equal(printf.rc, 7)
    assert.equal(printf.out.stderr, 'half a line')
    assert.ok(printf.step && 'command' in printf.step)
    const dest = join(dir, 'validated2')
    const validated = { content: 'x', dest, validate: ['false', '%s'] }
    const upload = ran([{ summary: 'v', commands: [], upload: validated }])
    assert.deepEqual(upload.step, { uploads: [validated] })
    assert.equal(upload.out.stderr, '')
    assert.deepEqual(upload.validation, { dest, rc: 1, stdout: '', stderr: '' })
    // the validate's rc and its two outputs apart, as Ansible's modules return them; the second file of a batch is named
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    const shout = ['sh', '-c', 'echo "checking $1"; printf "bad line 3\\nhalf" >&2; exit 3', 'sh', '%s']
    const uploads = [
      { content: 'a', dest: first, validate: ['true', '%s'] },
      { content: 'b', dest: second, validate: shout },
    ]
    const both = ran(uploads.map((upload) => ({ summary: upload.dest, commands: [], upload })))
    assert.equal(both.rc, 1)
    assert.deepEqual(both.step, { uploads })
    assert.equal(both.validation?.dest, second)
    assert.equal(both.validation?.rc, 3)
    assert.match(both.validation!.stdout, /^checking .*\/\.acplay-tmp\.\w+\n$/)
    assert.equal(both.validation?.stderr, 'bad line 3\nhalf')
    assert.equal(both.out.stderr, '')
    assert.throws(() => statSync(first))
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('acplay-tmp')),
      [],
    )
    const ok = ran([{ summary: 'ok', commands: [{ argv: ['sh', '-c', 'echo fine >&2'] }] }])
    assert.deepEqual([ok.rc, ok.step, ok.out.stderr], [0, undefined, 'fine\n'])
  })

  it("a validator that cannot start is told apart, in Python's words, as Ansible's run_command fails", () => {
    const tried = (validate: string[]) => {
      const { script, steps } = planSteps([{ summary: 'v', commands: [], upload: { content: 'x', dest: join(dir, 'unstarted'), validate } }])
      const r = sh(script)
      return { rc: r.status, ...failedStep({ stdout: r.stdout, stderr: r.stderr }, steps) }
    }
    const missing = tried([join(dir, 'no such'), '-c', '%s'])
    assert.equal(missing.rc, 1)
    assert.equal(missing.out.stderr, '')
    assert.equal(missing.validation?.rc, 2)
    assert.equal(missing.validation?.notStarted?.msg, `[Errno 2] No such file or directory: b'${join(dir, 'no such')}'`)
    assert.match(missing.validation!.notStarted!.cmd, /^'.*\/no such' -c .*\/\.acplay-tmp\.\w+$/)
    assert.equal(tried(['acplay-no-such-program', '%s']).validation?.notStarted?.msg, "[Errno 2] No such file or directory: b'acplay-no-such-program'")
    assert.equal(tried([dir, '%s']).validation?.notStarted?.msg, `[Errno 13] Permission denied: b'${dir}'`)
    // one on the PATH starts: its refusal is a refusal
    assert.deepEqual(tried(['false', '%s']).validation, { dest: join(dir, 'unstarted'), rc: 1, stdout: '', stderr: '' })
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('acplay-tmp') || f === 'unstarted'),
      [],
    )
  })

  it('keeps the mode and owner of an existing file when none is given', () => {
    const dest = join(dir, 'keep')
    writeFileSync(dest, 'x')
    execFileSync('chmod', ['0640', dest])
    assert.equal(sh(planScript([{ summary: 'k', commands: [], upload: { content: 'y', dest } }])).status, 0)
    assert.equal((statSync(dest).mode & 0o777).toString(8), '640')
  })
})
