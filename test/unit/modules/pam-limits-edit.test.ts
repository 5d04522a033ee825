/**
 * pam_limits' editing (editLimits) against community.general.pam_limits 6.6.2 (Debian's ansible):
 * each case's file, arguments and result (the file after, changed, msg, or the failure) were recorded
 * by running Ansible's module on the case (ansible localhost -c local -m community.general.pam_limits).
 * "text": null is a missing file.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { editLimits } from '../../../modules/pam-limits.js'

interface Case {
  name: string
  text: string | null
  args: { domain: string; limit_type: string; limit_item: string; value: string; use_max?: boolean; use_min?: boolean; comment?: string }
  want: { text: string | null; changed: boolean; msg: string; failed: boolean }
}

const CASES: Case[] = [
  {
    name: "appended to a file of comments (Debian's default shape)",
    text: '# /etc/security/limits.conf\n#\n#*               soft    core            0\n\n# End of file\n',
    args: { domain: 'postgres', limit_type: '-', limit_item: 'nofile', value: '65536' },
    want: {
      text: '# /etc/security/limits.conf\n#\n#*               soft    core            0\n\n# End of file\npostgres\t-\tnofile\t65536\n',
      changed: true,
      msg: 'postgres\t-\tnofile\t65536\n',
      failed: false,
    },
  },
  {
    name: 'a missing file is created with the line',
    text: null,
    args: { domain: '*', limit_type: 'soft', limit_item: 'core', value: '0' },
    want: { text: '*\tsoft\tcore\t0\n', changed: true, msg: '*\tsoft\tcore\t0\n', failed: false },
  },
  {
    name: 'the same value: unchanged, msg is the line',
    text: 'postgres\t-\tnofile\t65536\n',
    args: { domain: 'postgres', limit_type: '-', limit_item: 'nofile', value: '65536' },
    want: { text: 'postgres\t-\tnofile\t65536\n', changed: false, msg: 'postgres\t-\tnofile\t65536\n', failed: false },
  },
  {
    name: 'a spaced line with another value rewritten with tabs',
    text: '# x\npostgres   -   nofile   1024\nroot hard nproc 100\n',
    args: { domain: 'postgres', limit_type: '-', limit_item: 'nofile', value: '65536' },
    want: { text: '# x\npostgres\t-\tnofile\t65536\nroot hard nproc 100\n', changed: true, msg: 'postgres\t-\tnofile\t65536\n', failed: false },
  },
  {
    name: 'use_max keeps a larger value',
    text: 'app soft nofile 100000\n',
    args: { domain: 'app', limit_type: 'soft', limit_item: 'nofile', value: '65536', use_max: true },
    want: { text: 'app soft nofile 100000\n', changed: false, msg: 'app soft nofile 100000\n', failed: false },
  },
  {
    name: 'use_max raises a smaller value',
    text: 'app soft nofile 1024\n',
    args: { domain: 'app', limit_type: 'soft', limit_item: 'nofile', value: '65536', use_max: true },
    want: { text: 'app\tsoft\tnofile\t65536\n', changed: true, msg: 'app\tsoft\tnofile\t65536\n', failed: false },
  },
  {
    name: 'use_max keeps unlimited',
    text: 'app soft memlock unlimited\n',
    args: { domain: 'app', limit_type: 'soft', limit_item: 'memlock', value: '65536', use_max: true },
    want: { text: 'app soft memlock unlimited\n', changed: false, msg: 'app soft memlock unlimited\n', failed: false },
  },
  {
    name: 'use_min lowers',
    text: 'app hard nproc 5000\n',
    args: { domain: 'app', limit_type: 'hard', limit_item: 'nproc', value: '4096', use_min: true },
    want: { text: 'app\thard\tnproc\t4096\n', changed: true, msg: 'app\thard\tnproc\t4096\n', failed: false },
  },
  {
    name: 'use_min: unlimited gives way to a number',
    text: 'app hard nproc unlimited\n',
    args: { domain: 'app', limit_type: 'hard', limit_item: 'nproc', value: '4096', use_min: true },
    want: { text: 'app\thard\tnproc\t4096\n', changed: true, msg: 'app\thard\tnproc\t4096\n', failed: false },
  },
  {
    name: 'use_min keeps a smaller one',
    text: 'app hard nproc 10\n',
    args: { domain: 'app', limit_type: 'hard', limit_item: 'nproc', value: '4096', use_min: true },
    want: { text: 'app hard nproc 10\n', changed: false, msg: 'app hard nproc 10\n', failed: false },
  },
  {
    name: 'a comment given',
    text: '',
    args: { domain: 'app', limit_type: 'soft', limit_item: 'core', value: '0', comment: 'no cores' },
    want: { text: 'app\tsoft\tcore\t0\t#no cores\n', changed: true, msg: 'app\tsoft\tcore\t0\t#no cores\n', failed: false },
  },
  {
    name: "a comment of an earlier setting line is taken (Ansible's quirk)",
    text: '* soft core 0 # no cores for anyone\napp hard nofile 10\n',
    args: { domain: 'app', limit_type: 'hard', limit_item: 'nofile', value: '20' },
    want: {
      text: '* soft core 0 # no cores for anyone\napp\thard\tnofile\t20\t# no cores for anyone\n\n',
      changed: true,
      msg: 'app\thard\tnofile\t20\t# no cores for anyone\n\n',
      failed: false,
    },
  },
  {
    name: 'an appended line after a commented setting',
    text: '* soft core 0 #c\n',
    args: { domain: 'app', limit_type: 'hard', limit_item: 'nofile', value: '20' },
    want: { text: '* soft core 0 #c\napp\thard\tnofile\t20\t#c\n\n', changed: true, msg: 'app\thard\tnofile\t20\t#c\n\n', failed: false },
  },
  {
    name: 'every matching line gets the value',
    text: 'app - nofile 1\nx - nofile 1\napp - nofile 2\n',
    args: { domain: 'app', limit_type: '-', limit_item: 'nofile', value: '3' },
    want: { text: 'app\t-\tnofile\t3\nx - nofile 1\napp\t-\tnofile\t3\n', changed: true, msg: 'app\t-\tnofile\t3\n', failed: false },
  },
  {
    name: 'a last line without newline',
    text: 'root hard nproc 100',
    args: { domain: 'app', limit_type: '-', limit_item: 'nofile', value: '3' },
    want: { text: 'root hard nproc 100app\t-\tnofile\t3\n', changed: true, msg: 'app\t-\tnofile\t3\n', failed: false },
  },
  {
    name: 'lines that are not four fields stay',
    text: 'app - nofile\nweird line here ok too\n',
    args: { domain: 'app', limit_type: '-', limit_item: 'nofile', value: '3' },
    want: { text: 'app - nofile\nweird line here ok too\napp\t-\tnofile\t3\n', changed: true, msg: 'app\t-\tnofile\t3\n', failed: false },
  },
  {
    name: 'nice in range',
    text: '',
    args: { domain: '@audio', limit_type: '-', limit_item: 'nice', value: '-10' },
    want: { text: '@audio\t-\tnice\t-10\n', changed: true, msg: '@audio\t-\tnice\t-10\n', failed: false },
  },
  {
    name: 'nice out of range fails',
    text: '',
    args: { domain: '@audio', limit_type: '-', limit_item: 'nice', value: '-30' },
    want: {
      text: '',
      changed: false,
      msg: " Value of '-30' for item 'nice' is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.",
      failed: true,
    },
  },
  {
    name: 'a bad value fails',
    text: '',
    args: { domain: 'a', limit_type: '-', limit_item: 'nofile', value: 'lots' },
    want: {
      text: '',
      changed: false,
      msg: " Value of 'lots' for item 'nofile' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.",
      failed: true,
    },
  },
  {
    name: 'an invalid line in the file fails',
    text: 'a - nofile lots\n',
    args: { domain: 'b', limit_type: '-', limit_item: 'nofile', value: '1' },
    want: {
      text: 'a - nofile lots\n',
      changed: false,
      msg: "Invalid configuration found in '/etc/security/limits.conf'. Value of 'lots' for item 'nofile' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.",
      failed: true,
    },
  },
  {
    name: 'infinity and unlimited differ as text',
    text: 'a - memlock infinity\n',
    args: { domain: 'a', limit_type: '-', limit_item: 'memlock', value: 'unlimited' },
    want: { text: 'a\t-\tmemlock\tunlimited\n', changed: true, msg: 'a\t-\tmemlock\tunlimited\n', failed: false },
  },
  {
    name: 'indented comment line',
    text: '   # indented note\n',
    args: { domain: 'a', limit_type: '-', limit_item: 'nofile', value: '1' },
    want: { text: '   # indented note\na\t-\tnofile\t1\t# indented note\n\n', changed: true, msg: 'a\t-\tnofile\t1\t# indented note\n\n', failed: false },
  },
]

for (const c of CASES) {
  it(c.name, () => {
    const a = c.args
    const args = {
      domain: a.domain,
      type: a.limit_type,
      item: a.limit_item,
      value: a.value,
      useMax: a.use_max ?? false,
      useMin: a.use_min ?? false,
      comment: a.comment ?? '',
      dest: '/etc/security/limits.conf',
    }
    if (c.want.failed) {
      assert.throws(
        () => editLimits(c.text ?? undefined, args),
        (e: Error) => e.message === c.want.msg,
      )
      return
    }
    const edit = editLimits(c.text ?? undefined, args)
    assert.deepEqual(edit, { text: c.want.text, changed: c.want.changed, msg: c.want.msg })
  })
}
