/**
 * cron: named jobs (`#Ansible: NAME` above the job line) and environment variables in a user's
 * crontab (`crontab -l` / `crontab -`) or in a file under /etc/cron.d, edited exactly as Ansible's
 * cron module edits them (cron/crontab.ts).
 *
 * Effects recorded: cron.tab (key `user:NAME`) = the crontab's new text, or path.stat/path.content
 * of the cron_file (files/write.ts), so later tasks in check mode plan against it.
 */
import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { Crontab, jobLine, readCrontab } from './cron/crontab.js'
import { pySplitlines } from './pytext.js'
import { userCrontab, type UserCrontab } from './facts/cron.js'
import type { PathStat } from './facts/path.js'
import { readContent, type Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { defineModule, shScript, type Change, type ModuleContext, type Plan } from './types.js'

const SPECIAL = ['annually', 'daily', 'hourly', 'monthly', 'reboot', 'weekly', 'yearly'] as const

// $1: the user ('' = whoever runs it); the new crontab comes on stdin
const INSTALL = `if [ -n "$1" ] && [ "$1" != "$(id -un)" ]; then exec crontab -u "$1" -; fi
exec crontab -`

/** Ansible keeps a copy of the old crontab in a mkstemp file: /tmp/crontabXXXXXXXX. */
const backupPath = () => `/tmp/crontab${[...randomBytes(8)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789_'[b % 37]).join('')}`

export const cron = defineModule({
  name: 'cron',
  aliases: ['ansible.builtin.cron'],
  summary: 'Manage cron.d and crontab entries',
  description:
    'Jobs are found by the `#Ansible: NAME` comment line above them (a job line identical to the wanted one gets the comment), ' +
    'environment variables (env=true) by `NAME=` at the start of a line. With cron_file the file under /etc/cron.d holds the user ' +
    'in each job line; removing its last job removes the file.',
  params: {
    name: { type: 'str', required: true, description: 'Description of the crontab entry or, with env, the name of the variable.' },
    user: { type: 'str', description: 'The user whose crontab is changed (default: the user the task runs as).' },
    job: { type: 'str', aliases: ['value'], description: 'The command to run or, with env, the value of the variable. Required with state=present.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the job or variable should be there.' },
    cron_file: {
      type: 'path',
      description: 'Use this file instead of a crontab; relative paths are under /etc/cron.d. Needs user with state=present. Never /etc/crontab.',
    },
    backup: { type: 'bool', default: false, description: 'Copy the crontab to a /tmp/crontabXXXXXXXX file before changing it (returned as backup_file).' },
    minute: { type: 'str', default: '*', description: 'Minute (0-59, *, */2, ...).' },
    hour: { type: 'str', default: '*', description: 'Hour (0-23, *, */2, ...).' },
    day: { type: 'str', default: '*', aliases: ['dom'], description: 'Day of the month (1-31, *, */2, ...).' },
    month: { type: 'str', default: '*', description: 'Month (1-12, *, */2, ...).' },
    weekday: { type: 'str', default: '*', aliases: ['dow'], description: 'Day of the week (0-6 for Sunday-Saturday, *, ...).' },
    special_time: { type: 'str', choices: SPECIAL, description: 'A nickname (@reboot, @daily, ...) instead of the time fields.' },
    disabled: { type: 'bool', default: false, description: 'Comment the job line out (state=present only).' },
    env: { type: 'bool', default: false, description: 'Manage an environment variable (NAME="value" at the top of the crontab) instead of a job.' },
    insertafter: { type: 'str', description: 'With env: insert the variable after this variable.' },
    insertbefore: { type: 'str', description: 'With env: insert the variable before this variable.' },
  },
  mutuallyExclusive: [['insertafter', 'insertbefore']],
  returns: {
    jobs: 'names of the Ansible-managed jobs in the crontab afterwards',
    envs: 'names of the environment variables in the crontab afterwards',
    cron_file: 'the cron_file argument, when given',
    backup_file: 'the copy of the old crontab (backup=true, when it changed)',
    state: 'state, when removing the last job removed the cron_file',
  },
  examples: `
- cron:
    name: check dirs
    minute: "0"
    hour: "5,2"
    job: ls -alh > /dev/null
- cron: { name: PATH, env: true, job: /usr/local/bin:/usr/bin:/bin }
- cron:
    name: nightly report
    cron_file: acplay-report
    user: www-data
    special_time: daily
    job: /usr/local/bin/report
`,
  async plan(p, ctx): Promise<Plan> {
    const present = p.state === 'present'
    if (p.special_time && [p.minute, p.hour, p.day, p.month, p.weekday].some((x) => x !== '*'))
      throw new ModuleFailure('You must specify time and date fields or special time.')
    if (p.cron_file === '/etc/crontab') throw new ModuleFailure('Will not manage /etc/crontab via cron_file, see documentation.')
    if (present) {
      if (p.cron_file && !p.user) throw new ModuleFailure('To use cron_file=... parameter you must specify user=... as well')
      if (p.job === undefined) throw new ModuleFailure("You must specify 'job' to install a new cron job or variable")
      if ((p.insertafter !== undefined || p.insertbefore !== undefined) && !p.env)
        throw new ModuleFailure('Insertafter and insertbefore parameters are valid only with env=yes')
    }
    if (p.env && p.name.includes(' ')) throw new ModuleFailure('Invalid name for environment variable')
    const warnings: string[] = []
    if (p.cron_file && !/^[A-Z0-9_-]+$/i.test(basename(p.cron_file)))
      warnings.push(
        `Filename portion of cron_file ("${basename(p.cron_file)}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`,
      )
    if (present && !p.env && /[\r\n]/.test(p.job!.replace(/^[\r\n]+|[\r\n]+$/g, ''))) warnings.push('Job should not contain line breaks')

    const file = p.cron_file === undefined ? undefined : p.cron_file.startsWith('/') ? p.cron_file : `/etc/cron.d/${p.cron_file}`
    const read = file ? await readFile(ctx, file) : await readUser(ctx, p.user)
    if (read === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${file} (depends on an earlier change)`, commands: [] }] }
    const tab = new Crontab([...read.lines])
    const before = new Crontab([...read.lines]).render()
    let changed = false
    let what = ''

    if (p.env) {
      const decl = `${p.name}="${p.job ?? ''}"`
      const old = tab.findEnv(p.name)
      if (present && old.length === 0) {
        const err = tab.addEnv(decl, p.insertafter, p.insertbefore)
        if (err) throw new ModuleFailure(err)
        ;[changed, what] = [true, `add variable ${p.name}`]
      } else if (present && old[1] !== decl) {
        tab.updateEnv(p.name, decl)
        ;[changed, what] = [true, `set variable ${p.name}`]
      } else if (!present && old.length) {
        tab.updateEnv(p.name, undefined)
        ;[changed, what] = [true, `remove variable ${p.name}`]
      }
    } else if (present) {
      const job = jobLine({ ...p, job: p.job!, special: p.special_time, user: file ? p.user : undefined })
      const old = tab.findJob(p.name, job)
      if (old.length === 0) {
        tab.addJob(p.name, job)
        ;[changed, what] = [true, `add job "${p.name}"`]
      } else if (old[1] !== job || old.length > 2) {
        tab.updateJob(p.name, job)
        ;[changed, what] = [true, `update job "${p.name}"`]
      }
    } else if (tab.findJob(p.name).length) {
      tab.updateJob(p.name, undefined)
      ;[changed, what] = [true, `remove job "${p.name}"`]
      if (file && tab.isEmpty()) {
        const data = { cron_file: p.cron_file, state: p.state }
        return {
          kind: 'change',
          changes: [
            {
              summary: `${what}: remove ${file} (no jobs left)`,
              commands: [{ argv: ['rm', '-f', '--', file] }],
              diff: { path: file, before: read.existing, after: '' },
              effects: [{ fact: 'path.stat', key: file, value: { exists: false } satisfies PathStat }],
            },
          ],
          data,
        }
      }
    }
    // nothing to change, but an existing crontab needs its terminating newline
    if (!changed && read.existing !== '' && !/[\r\n]$/.test(read.existing)) [changed, what] = [true, 'add the missing final newline']

    const where = file ?? `crontab${p.user ? ` for user "${p.user}"` : ''}`
    const data: Record<string, unknown> = { jobs: tab.jobNames(), envs: tab.envNames() }
    if (warnings.length) data.warnings = warnings
    if (p.cron_file !== undefined) data.cron_file = p.cron_file
    if (!changed) return { kind: 'ok', reason: describe(p, where), data }

    const after = tab.render()
    const changes: Change[] = []
    if (p.backup && !ctx.check) {
      data.backup_file = backupPath()
      changes.push({
        summary: `back up ${where} to ${data.backup_file}`,
        commands: [],
        upload: { content: before, dest: data.backup_file as string, mode: '0600' },
      })
    }
    if (file) {
      const plan = await planWrite(ctx, { dest: file, content: Buffer.from(after), want: {}, before: Buffer.from(read.existing) }, read.stats!)
      if (plan.kind === 'change') changes.push(...plan.changes.map((c) => (c.upload ? { ...c, summary: `${what} in ${file}` } : c)))
    } else {
      if (read.unknownUser) throw new ModuleFailure(`cannot change the crontab of ${p.user}: no such user on ${ctx.host}`)
      changes.push({
        summary: `${what} in ${where}`,
        commands: [{ ...shScript(INSTALL, p.user ?? ''), stdin: after }],
        diff: ctx.diff ? { path: where, before: read.existing, after } : undefined,
        effects: crontabNames(p.user, read.runAs).map((u) => ({
          fact: 'cron.tab',
          key: userCrontab.key!(u),
          value: { exists: true, text: after, runAs: read.runAs } satisfies UserCrontab,
        })),
      })
    }
    return { kind: 'change', changes, data }
  },
})

/** The names a user's crontab is read under: `user` unset means the user the task runs as. */
function crontabNames(user: string | undefined, runAs: string | undefined): string[] {
  if (runAs === undefined) return [user ?? '']
  if (user === undefined || user === runAs) return ['', runAs]
  return [user]
}

interface Read {
  lines: string[]
  /** the text as read (for the diff and the final-newline rule) */
  existing: string
  stats?: Stats
  unknownUser?: boolean
  runAs?: string
}

async function readFile(ctx: ModuleContext, file: string): Promise<Read | 'unknown'> {
  const c = await readContent(ctx, file)
  if (c === 'unknown') return c
  if (c.stat.exists && c.stat.type !== 'file') throw new ModuleFailure(`cron_file ${file} is not a regular file (${c.stat.type})`)
  const text = c.text ?? ''
  return { lines: pySplitlines(text), existing: text, stats: { user: c.user, group: c.group, get: (x) => (x === file ? c.stat : { exists: false }) } }
}

async function readUser(ctx: ModuleContext, user: string | undefined): Promise<Read> {
  const c = await ctx.fact(userCrontab, user ?? '')
  // a user an earlier task creates (check mode) has an empty crontab
  const coming = c.unknownUser && (ctx.effect('user.info', user ?? '') as { exists?: boolean } | undefined)?.exists
  return { ...readCrontab(c.text), unknownUser: c.unknownUser && !coming, runAs: c.runAs }
}

function describe(p: { name: string; env: boolean; state: string }, where: string): string {
  const what = p.env ? `variable ${p.name}` : `job "${p.name}"`
  return p.state === 'present' ? `${what} is set in ${where}` : `${what} is not in ${where}`
}
