import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fqdnOf } from '../../../modules/facts/hostname.js'
import { localeState } from '../../../modules/facts/locale.js'
import { parseTimedatectl } from '../../../modules/facts/timezone.js'
import { fixCase, isAvailable, setLocale } from '../../../modules/locale_gen.js'

describe('hostname, timezone, locale_gen: pure parts', () => {
  it('socket.getfqdn: the first name with a dot among what the address resolves to, else the name itself', () => {
    assert.equal(fqdnOf('web01', '10.0.0.5      web01.example.test web01\n'), 'web01.example.test')
    assert.equal(fqdnOf('web01', '10.0.0.5 web01 w1'), 'web01')
    assert.equal(fqdnOf('web01.example.test', ''), 'web01.example.test')
  })
  it('reads timedatectl status', () => {
    const s = '               Local time: Wed\n                Time zone: Europe/Paris (CET, +0100)\n          RTC in local TZ: yes\n'
    assert.deepEqual(parseTimedatectl(s), { name: 'Europe/Paris', hwclock: 'local' })
    assert.deepEqual(parseTimedatectl('Timezone: UTC\nRTC in local TZ: no'), { name: 'UTC', hwclock: 'UTC' })
  })
  it('locales: spelling, availability and the locale.gen line, one line at a time', () => {
    assert.equal(fixCase('de_CH.utf8'), 'de_CH.UTF-8')
    const gen = '# de_CH ISO-8859-1\n# de_CH.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n'
    assert.ok(isAvailable('de_CH.UTF-8', gen, false))
    assert.ok(!isAvailable('de_CH.UTF-8', '# de_CH.UTF-8 UTF-8\n', true), 'Ubuntu: SUPPORTED has no comments')
    assert.equal(setLocale(gen, 'de_CH.UTF-8', true), '# de_CH ISO-8859-1\nde_CH.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n')
    assert.equal(setLocale(gen, 'en_US.UTF-8', false), '# de_CH ISO-8859-1\n# de_CH.UTF-8 UTF-8\n# en_US.UTF-8 UTF-8\n')
  })
  it('reads the locale state of Debian and Ubuntu hosts', () => {
    const deb = localeState.parse({ rc: 0, stdout: 'debian\nC\nC.utf8\n@@supported\n@@local\n', stderr: '' })
    assert.deepEqual(deb, { mode: 'debian', generated: ['C', 'C.utf8'] })
    const ub = localeState.parse({ rc: 0, stdout: 'ubuntu\nC\n@@supported\nde_CH.UTF-8 UTF-8\n@@local\nen_US.UTF-8 UTF-8\n', stderr: '' })
    assert.deepEqual(ub, { mode: 'ubuntu', generated: ['C'], supported: 'de_CH.UTF-8 UTF-8\n', local: 'en_US.UTF-8 UTF-8\n' })
  })
})
