/**
 * Locales: which are generated (`locale -a`), and how they are chosen: Debian's /etc/locale.gen, or
 * Ubuntu's /var/lib/locales/supported.d (then with /usr/share/i18n/SUPPORTED and supported.d/local).
 * One command.
 */
import { shScript, type Fact } from '../types.js'

export interface LocaleState {
  mode: 'debian' | 'ubuntu' | 'missing'
  /** `locale -a` */
  generated: string[]
  /** ubuntu: /usr/share/i18n/SUPPORTED */
  supported?: string
  /** ubuntu: /var/lib/locales/supported.d/local */
  local?: string
}

const SCRIPT = `if [ -d /var/lib/locales/supported.d/ ]; then echo ubuntu
elif [ -e /etc/locale.gen ]; then echo debian
else echo missing; exit 0; fi
locale -a 2>/dev/null
echo @@supported; [ ! -d /var/lib/locales/supported.d/ ] || cat /usr/share/i18n/SUPPORTED 2>/dev/null
echo @@local; [ ! -d /var/lib/locales/supported.d/ ] || cat /var/lib/locales/supported.d/local 2>/dev/null
true`

export const localeState: Fact<LocaleState> = {
  name: 'locale.state',
  command: () => shScript(SCRIPT),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot read the locales: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [head = '', rest = ''] = out.stdout.split(/\n([\s\S]*)/)
    const mode = head as LocaleState['mode']
    if (mode === 'missing') return { mode, generated: [] }
    const [generated = '', tail = ''] = rest.split('@@supported\n')
    const [supported = '', local = ''] = tail.split('@@local\n')
    const s: LocaleState = { mode, generated: generated.split('\n').filter(Boolean) }
    if (mode === 'ubuntu') Object.assign(s, { supported, local })
    return s
  },
}
