/**
 * locale_gen (community.general.locale_gen): a locale generated or not, as Ansible's module does it:
 * on Debian by (un)commenting its line in /etc/locale.gen and running locale-gen; on Ubuntu with
 * `locale-gen NAME`, or supported.d/local without it and `locale-gen --purge`.
 *
 * Effects recorded: locale.state (the generated locales) and path.stat/path.content of /etc/locale.gen.
 */
import { ModuleFailure } from '../engine/errors.js'
import { escapeRe, pyReadlines } from './pytext.js'
import { localeState, type LocaleState } from './facts/locale.js'
import { readContent, type Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { defineModule, factKey, type Change, type Plan } from './types.js'

const NORMALIZE: [string, string][] = [
  ['.utf8', '.UTF-8'],
  ['.eucjp', '.EUC-JP'],
  ['.iso885915', '.ISO-8859-15'],
  ['.cp1251', '.CP1251'],
  ['.koi8r', '.KOI8-R'],
  ['.armscii8', '.ARMSCII-8'],
  ['.euckr', '.EUC-KR'],
  ['.gbk', '.GBK'],
  ['.gb18030', '.GB18030'],
  ['.euctw', '.EUC-TW'],
]
/** `locale -a` prints de_CH.utf8 for de_CH.UTF-8: one spelling for comparisons. */
export const fixCase = (name: string) => NORMALIZE.reduce((n, [s, r]) => n.split(s).join(r), name)

/** The locale has a line (commented or not) in locale.gen, or in Ubuntu's SUPPORTED. */
export function isAvailable(name: string, text: string, ubuntu: boolean): boolean {
  const re = ubuntu ? /^(\S+_\S+) (\S+)\s*$/ : /^#?\s*(\S+_\S+) (\S+)\s*$/
  return text.split('\n').some((l) => re.exec(l)?.[1] === name)
}

/** locale.gen with the locale's line uncommented (present) or commented out, Ansible's substitution. */
export function setLocale(text: string, name: string, enabled: boolean): string {
  // line by line, as Ansible: \s must not reach into the line before
  const re = new RegExp(`#?\\s*${escapeRe(name)} (.+)`, 'g')
  return pyReadlines(text)
    .map((line) => line.replace(re, (_, charset: string) => `${enabled ? '' : '# '}${name} ${charset}`))
    .join('')
}

export const localeGen = defineModule({
  name: 'locale_gen',
  aliases: ['community.general.locale_gen'],
  summary: 'Creates or removes locales',
  description: 'Manages locales by editing /etc/locale.gen and invoking locale-gen (Ubuntu: supported.d and `locale-gen NAME`).',
  params: {
    name: { type: 'str', required: true, description: 'Name and encoding of the locale, such as en_GB.UTF-8.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the locale shall be present.' },
  },
  returns: { name: 'the locale', msg: "'OK'" },
  examples: `
- community.general.locale_gen:
    name: de_CH.UTF-8
    state: present
`,
  async plan(p, ctx): Promise<Plan> {
    const name = p.name
    if (!/^[^\s/]+$/.test(name)) throw new ModuleFailure(`name ${JSON.stringify(name)} is not a locale name`)
    const present = p.state === 'present'
    const [s, gen] = await Promise.all([ctx.fact(localeState), readContent(ctx, '/etc/locale.gen')])
    if (s.mode === 'missing') throw new ModuleFailure('/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?')
    const ubuntu = s.mode === 'ubuntu'
    if (!ubuntu && gen === 'unknown')
      return { kind: 'change', changes: [{ summary: 'would change /etc/locale.gen (depends on an earlier change)', commands: [] }] }
    const text = ubuntu ? (s.supported ?? '') : gen === 'unknown' ? '' : (gen.text ?? '')
    if (!isAvailable(name, text, ubuntu)) throw new ModuleFailure("The locale you've entered is not available on your system.")
    const was = s.generated.some((l) => fixCase(l) === fixCase(name))
    const data = { name, msg: 'OK' }
    if (was === present) return { kind: 'ok', reason: `locale ${name} is ${present ? '' : 'not '}generated`, data }

    const changes: Change[] = []
    const what = `${present ? 'generate' : 'remove'} locale ${name}`
    if (!ubuntu && gen !== 'unknown') {
      const stats: Stats = { user: gen.user, group: gen.group, get: (x) => (x === '/etc/locale.gen' ? gen.stat : { exists: false }) }
      const w = await planWrite(
        ctx,
        { dest: '/etc/locale.gen', content: Buffer.from(setLocale(text, name, present)), want: {}, before: Buffer.from(text) },
        stats,
      )
      if (w.kind === 'change')
        changes.push(...w.changes.map((c) => (c.upload ? { ...c, summary: `${present ? 'enable' : 'disable'} ${name} in /etc/locale.gen` } : c)))
      changes.push({ summary: `${what}: locale-gen`, commands: [{ argv: ['locale-gen'] }] })
    } else if (present) changes.push({ summary: what, commands: [{ argv: ['locale-gen', name] }] })
    else {
      const kept = (s.local ?? '')
        .split('\n')
        .filter((l) => l && l.split(' ')[0] !== name)
        .map((l) => `${l}\n`)
        .join('')
      changes.push({
        summary: `${what} from /var/lib/locales/supported.d/local`,
        commands: [],
        upload: { content: kept, dest: '/var/lib/locales/supported.d/local' },
      })
      changes.push({ summary: `${what}: locale-gen --purge`, commands: [{ argv: ['locale-gen', '--purge'] }] })
    }
    const generated = present ? [...s.generated, name] : s.generated.filter((l) => fixCase(l) !== fixCase(name))
    const last = changes[changes.length - 1]!
    changes[changes.length - 1] = {
      ...last,
      effects: [{ fact: localeState.name, key: factKey(localeState, []), value: { ...s, generated } satisfies LocaleState }],
    }
    return { kind: 'change', changes, data }
  },
})
