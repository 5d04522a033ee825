import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../../engine/effects.js'
import { runModule } from '../../../engine/module-runner.js'
import { moduleState } from '../../../modules/facts/modprobe.js'
import { modprobe } from '../../../modules/modprobe.js'
import { fakeConn } from './fake-ctx.js'

const out = (s: string) => ({ rc: 0, stdout: s, stderr: '' })
const FILES =
  '\u0001/etc/modules-load.d /etc/modules-load.d/modules.conf\n/etc/modules\nloop\n\u0001/etc/modprobe.d /etc/modprobe.d/x.conf\n/etc/modprobe.d/x.conf\noptions dummy a=1\n'

describe('modprobe', () => {
  it('reads loaded state, the dry run and the config files (with the files links resolve to)', () => {
    const s = moduleState.parse(out(`listed\ndry 1\nmodprobe: FATAL: Module x not found\n${FILES}`), 'x', 'present', [])
    assert.deepEqual(s, {
      loaded: false,
      listed: true,
      dryRun: { rc: 1, output: 'modprobe: FATAL: Module x not found' },
      loadFiles: [{ path: '/etc/modules-load.d/modules.conf', real: '/etc/modules', text: 'loop\n' }],
      optionFiles: [{ path: '/etc/modprobe.d/x.conf', real: '/etc/modprobe.d/x.conf', text: 'options dummy a=1\n' }],
    })
  })
  it('loads a module modprobe -n accepts; persistent=present writes both files and comments out old options; the effect tells later tasks', async () => {
    const effects = new EffectStore()
    const env = { conn: fakeConn(`listed\ndry 0\n\n${FILES}`), check: true, diff: false, effects }
    const r = await runModule(modprobe, { name: 'dummy', params: 'a=2', persistent: 'present' }, env)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      [
        'load dummy a=2',
        'load dummy on boot (/etc/modules-load.d/dummy.conf)',
        'comment out the old options of dummy in /etc/modprobe.d/x.conf',
        'options of dummy (/etc/modprobe.d/dummy.conf)',
      ],
    )
    const again = await runModule(modprobe, { name: 'dummy', params: 'a=2', persistent: 'present' }, env)
    assert.equal(again.status, 'ok', 'planned against the earlier change')
  })
  it('persistent=absent comments the module out through the link', async () => {
    const r = await runModule(
      modprobe,
      { name: 'loop', state: 'absent', persistent: 'absent' },
      { conn: fakeConn(`unlisted\n${FILES}`), check: true, diff: false },
    )
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['comment out loop in /etc/modules-load.d/modules.conf'],
    )
  })
})
