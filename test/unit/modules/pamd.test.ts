/**
 * pamd's parser and edits, against results recorded from Ansible's own PamdService (community.general
 * 7.x, Debian 12) on the same small files: counts, the text written (mark time masked) and the
 * validation message; then the module's plan on a fake host.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { pamd } from '../../../modules/pamd.js'
import { applyEdit, type PamdEdit } from '../../../modules/pamd/edit.js'
import { invalidLine, isoStamp, parseArgs, parseService, renderService } from '../../../modules/pamd/lines.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'

type Recorded = { count: number; text: string; invalid: string | null } | { error: string }

// [file, [type, control, module_path], edit, what Ansible's PamdService did]
const CASES: [string, [string, string, string], PamdEdit, Recorded][] = [
  [
    '#%PAM-1.0\nauth\t[success=1 default=ignore]\tpam_unix.so nullok\nauth\trequisite\t\t\tpam_deny.so\n',
    ['auth', '[success=1 default=ignore]', 'pam_unix.so'],
    { state: 'updated', newControl: '[success=2 default=ignore]' },
    {
      count: 1,
      text: '#%PAM-1.0\n# Updated by Ansible - T\nauth       [success=2 default=ignore] pam_unix.so nullok\nauth       requisite pam_deny.so\n',
      invalid: null,
    },
  ],
  [
    'auth required pam_a.so x\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'updated', args: [''] },
    { count: 1, text: '\n# Updated by Ansible - T\nauth       required pam_a.so\n', invalid: null },
  ],
  [
    '# c\nauth required pam_a.so x y=1\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'updated', args: ['preauth\n silent deny=3', '[a b]'] },
    { count: 1, text: '# c\n# Updated by Ansible - T\nauth       required pam_a.so preauth silent deny=3 [a b]\n', invalid: null },
  ],
  [
    '# c\n# Updated by Ansible - old\nauth required pam_a.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'updated', newType: '-auth', newPath: 'pam_b.so' },
    { count: 1, text: '# c\n# Updated by Ansible - T\n-auth      required pam_b.so\n', invalid: null },
  ],
  [
    '# c\n\n# d\nauth required pam_a.so\n# e\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'before', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: ['k=v'] },
    { count: 1, text: '# c\n# Updated by Ansible - T\n\n# d\nauth       optional pam_n.so k=v\nauth       required pam_a.so\n# e\n', invalid: null },
  ],
  [
    'auth required pam_z.so\n# between\n\nauth required pam_a.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'before', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    { count: 1, text: 'auth       required pam_z.so\n# Updated by Ansible - T\nauth       optional pam_n.so\nauth       required pam_a.so\n', invalid: null },
  ],
  [
    'auth optional pam_n.so other\n# between\nauth required pam_a.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'before', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    { count: 0, text: 'auth optional pam_n.so other\n# between\nauth required pam_a.so\n', invalid: null },
  ],
  [
    '@include common-auth\n# between\nauth required pam_a.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'before', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    { count: 1, text: '@include common-auth\n# Updated by Ansible - T\nauth       optional pam_n.so\nauth       required pam_a.so\n', invalid: null },
  ],
  [
    '# top\nauth required pam_a.so\n# mid\nauth required pam_b.so\n# end\n\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'after', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    {
      count: 1,
      text: '# top\n# Updated by Ansible - T\nauth       required pam_a.so\nauth       optional pam_n.so\nauth       required pam_b.so\n# end\n\n',
      invalid: null,
    },
  ],
  [
    '# top\nauth required pam_a.so\n# mid\nauth required pam_b.so\n# end\n\n',
    ['auth', 'required', 'pam_b.so'],
    { state: 'after', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    {
      count: 1,
      text: '# top\n# Updated by Ansible - T\nauth       required pam_a.so\n# mid\nauth       required pam_b.so\nauth       optional pam_n.so\n',
      invalid: null,
    },
  ],
  [
    '# top\nauth required pam_a.so\nauth required pam_a.so\nauth required pam_b.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'after', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    {
      count: 2,
      text: '# top\n# Updated by Ansible - T\nauth       required pam_a.so\nauth       optional pam_n.so\nauth       required pam_a.so\nauth       optional pam_n.so\nauth       required pam_b.so\n',
      invalid: null,
    },
  ],
  [
    '# top\nauth required pam_a.so\n\nauth optional pam_n.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'after', newType: 'auth', newControl: 'optional', newPath: 'pam_n.so', args: [] },
    { count: 0, text: '# top\nauth required pam_a.so\n\nauth optional pam_n.so\n', invalid: null },
  ],
  [
    '# top\nauth required pam_a.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'after', newType: 'auth', newControl: 'required', newPath: 'pam_a.so', args: [] },
    { count: 1, text: '# top\n# Updated by Ansible - T\nauth       required pam_a.so\nauth       required pam_a.so\n', invalid: null },
  ],
  [
    '# top\npassword [success=1 default=ignore] pam_unix.so obscure yescrypt rounds=5 [x=y]\n',
    ['password', '[success=1 default=ignore]', 'pam_unix.so'],
    { state: 'args_present', args: ['rounds=8', 'remember=5', 'obscure'] },
    {
      count: 1,
      text: '# top\n# Updated by Ansible - T\npassword   [success=1 default=ignore] pam_unix.so obscure yescrypt rounds=8 [x=y] remember=5\n',
      invalid: null,
    },
  ],
  [
    '# top\npassword required pam_unix.so a=1 a=2\n',
    ['password', 'required', 'pam_unix.so'],
    { state: 'args_present', args: ['a=3'] },
    { count: 1, text: '# top\n# Updated by Ansible - T\npassword   required pam_unix.so a=1 a=3\n', invalid: null },
  ],
  [
    '# top\npassword required pam_unix.so a=1 b\n',
    ['password', 'required', 'pam_unix.so'],
    { state: 'args_present', args: ['a=1', 'b'] },
    { count: 0, text: '# top\npassword required pam_unix.so a=1 b\n', invalid: null },
  ],
  [
    '# top\nsession optional pam_mail.so standard noenv # [1]\nsession optional pam_mail.so noenv\n',
    ['session', 'optional', 'pam_mail.so'],
    { state: 'args_absent', args: ['noenv', '#', '[1]'] },
    { count: 2, text: '# top\n# Updated by Ansible - T\nsession    optional pam_mail.so standard\nsession    optional pam_mail.so\n', invalid: null },
  ],
  [
    '# top\nsession optional pam_mail.so standard\n',
    ['session', 'optional', 'pam_mail.so'],
    { state: 'args_absent', args: ['noenv'] },
    { count: 0, text: '# top\nsession optional pam_mail.so standard\n', invalid: null },
  ],
  [
    'auth required pam_a.so\n# c\nauth required pam_a.so\nauth required pam_b.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'absent' },
    { count: 2, text: '# c\n# Updated by Ansible - T\nauth       required pam_b.so\n', invalid: null },
  ],
  [
    '# c\nauth required pam_a.so\nauth required pam_b.so\n',
    ['auth', 'required', 'pam_a.so'],
    { state: 'absent' },
    { count: 1, text: '# c\n# Updated by Ansible - T\nauth       required pam_b.so\n', invalid: null },
  ],
  ['auth required pam_a.so\nauth required pam_a.so\n', ['auth', 'required', 'pam_a.so'], { state: 'absent' }, { error: 'AttributeError' }],
  [
    'session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so close\n  @include x\n',
    ['session', '[success=ok ignore=ignore module_unknown=ignore default=bad]', 'pam_selinux.so'],
    { state: 'absent' },
    { count: 1, text: '\n# Updated by Ansible - T\n  @include x\n', invalid: 'Rule is not valid   @include x' },
  ],
  [
    '# c\nauth [success = 1 default=ignore] pam_a.so\nauth [success=1 foo=ignore] pam_b.so\n',
    ['auth', '[success=1 default=ignore]', 'pam_a.so'],
    { state: 'updated', newControl: 'sufficient' },
    {
      count: 1,
      text: '# c\n# Updated by Ansible - T\nauth       sufficient pam_a.so\nauth       [success=1 foo=ignore] pam_b.so\n',
      invalid: 'Rule control value, foo, is not valid in rule auth       [success=1 foo=ignore] pam_b.so',
    },
  ],
  [
    '# c\nauth [success=1 default=ignore] pam_a.so\nauth [success=-1 default=ignore] pam_b.so\n',
    ['auth', '[success=1 default=ignore]', 'pam_a.so'],
    { state: 'updated', newControl: 'sufficient' },
    {
      count: 1,
      text: '# c\n# Updated by Ansible - T\nauth       sufficient pam_a.so\nauth       [success=-1 default=ignore] pam_b.so\n',
      invalid: 'Rule control action, -1, is not valid in rule auth       [success=-1 default=ignore] pam_b.so',
    },
  ],
  [
    '# c\r\nauth   required  pam_a.so   a   b  \r\nauth required pam_b.so',
    ['auth', 'required', 'pam_b.so'],
    { state: 'updated', args: ['x'] },
    { count: 1, text: '# c\n# Updated by Ansible - T\nauth       required pam_a.so a b\nauth       required pam_b.so x\n', invalid: null },
  ],
]

describe('pamd: parsing and edits as Ansible', () => {
  it('gives the counts, texts and validation messages Ansible gave on the same files', () => {
    for (const [content, [type, control, path], edit, want] of CASES) {
      const what = `${JSON.stringify(content)} ${JSON.stringify(edit)}`
      const lines = parseService(content, '/etc/pam.d/x')
      if ('error' in want) {
        assert.throws(() => applyEdit(lines, { type, control, path }, edit), /cannot write the file empty/, what)
        continue
      }
      const count = applyEdit(lines, { type, control, path }, edit)
      assert.equal(count, want.count, what)
      assert.equal(count ? renderService(lines, 'T') : content, want.text, what)
      assert.equal(invalidLine(lines) ?? null, want.invalid, what)
    }
  })

  it('splits arguments at whitespace, keeping [bracketed values] whole to the last ]', () => {
    assert.deepEqual(parseArgs(['a  b=1\tc', '', '[x y] z]', 'q[r s]']), ['a', 'b=1', 'c', '[x y] z]', 'q[r', 's]'])
  })

  it('fails clearly where Ansible crashes: a line that is no rule, a value=action that is not one', () => {
    assert.throws(() => parseService('# c\nauth required\n', '/etc/pam.d/x'), /\/etc\/pam\.d\/x line 2 is not a PAM rule .*"auth required"/)
    const lines = parseService('auth [success=1=2] pam_a.so\n', 'x')
    assert.equal(invalidLine(lines), 'Rule control, success=1=2, is not value=action in rule auth       [success=1=2] pam_a.so')
    assert.throws(
      () =>
        applyEdit(
          parseService('auth required pam_a.so a=b=c\n', 'x'),
          { type: 'auth', control: 'required', path: 'pam_a.so' },
          { state: 'args_present', args: ['d'] },
        ),
      /"a=b=c" of the rule .* more than one '='/,
    )
  })

  it("writes the time as Python's isoformat: microseconds, none when zero", () => {
    const at = new Date(2026, 11, 7, 9, 5, 3, 120).getTime()
    assert.equal(isoStamp(at + 0.4567), '2026-12-07T09:05:03.120456')
    assert.equal(isoStamp(new Date(2026, 0, 1, 0, 0, 0, 0).getTime()), '2026-01-01T00:00:00')
  })
})

describe('pamd: the plan', () => {
  const FILE = '# c\npassword\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\npassword\trequisite\t\t\tpam_deny.so\n'
  const hostFile = (text: string) => ({
    user: 'root',
    group: 'root',
    stat: {
      exists: true,
      type: 'file',
      mode: '0644',
      owner: 'root',
      group: 'root',
      size: text.length,
      sha256: createHash('sha256').update(text).digest('hex'),
    },
    text,
  })
  const ctx = (text?: string) =>
    fakeCtx(
      {},
      {
        check: true,
        diff: true,
        effects: [
          {
            fact: 'path.content',
            key: '/etc/pam.d/common-password',
            value: text === undefined ? { user: 'root', group: 'root', stat: { exists: false } } : hostFile(text),
          },
        ],
      },
    )
  const params = (raw: Record<string, unknown>) =>
    validateParams(pamd, { name: 'common-password', type: 'password', control: '[success=1 default=ignore]', module_path: 'pam_unix.so', ...raw })

  it('plans one upload of the rewritten file with change_count, and no diff (Ansible has none)', async () => {
    const plan = await pamd.plan(params({ state: 'args_present', module_arguments: 'remember=5' }), ctx(FILE))
    assert.equal(plan.kind, 'change')
    assert.ok(plan.kind === 'change')
    assert.deepEqual(plan.data, { change_count: 1, backupdest: '' })
    const [write] = plan.changes
    assert.equal(write?.diff, undefined)
    assert.match(
      String(write?.upload?.content),
      /^# c\n# Updated by Ansible - \d{4}-\d\d-\d\dT[\d:.]+\npassword {3}\[success=1 default=ignore\] pam_unix.so obscure yescrypt remember=5\npassword {3}requisite pam_deny.so\n$/,
    )
  })

  it('is ok with change_count 0 when no rule matches or all is in place', async () => {
    for (const raw of [
      { module_path: 'pam_nothere.so', new_control: 'optional' },
      { state: 'args_present', module_arguments: ['obscure'] },
    ]) {
      const plan = await pamd.plan(params(raw), ctx(FILE))
      assert.deepEqual([plan.kind, plan.data], ['ok', { change_count: 0, backupdest: '' }])
    }
  })

  it("fails with Ansible's messages: a missing file, bracketed args_present, an invalid control", async () => {
    await assert.rejects(pamd.plan(params({}), ctx()), {
      message: "Unable to open/read PAM module file /etc/pam.d/common-password with error [Errno 2] No such file or directory: '/etc/pam.d/common-password'.",
    })
    await assert.rejects(
      pamd.plan(params({ state: 'args_present', module_arguments: ['a [b=c]'] }), ctx(FILE)),
      /Unable to process bracketed '\[' complex arguments with 'args_present'. Please use 'updated'./,
    )
    await assert.rejects(pamd.plan(params({ new_control: 'requird' }), ctx(FILE)), {
      message: 'Rule control, requird, is not valid in rule password   requird pam_unix.so obscure yescrypt',
    })
  })
})
