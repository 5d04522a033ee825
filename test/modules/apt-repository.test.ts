/**
 * apt_repository on real hosts against a local flat repository: acplay on p1, Debian's
 * ansible-playbook on p2 with the same tasks; the source files (normalized, created, removed, their
 * modes) and `changed` agree step by step. Check mode predicts each run; a later apt task in check
 * mode plans against the new source; a failed cache update puts the files back; drift is repaired.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { apt } from '../../modules/apt.js'
import { aptRepository } from '../../modules/apt-repository.js'
import { buildAptRepo } from '../helpers/apt-repo.js'
import { differential } from '../helpers/ansible-diff.js'
import { checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const SOURCES_LIST =
  '#deb http://deb.debian.org/debian bookworm main\n\n# security updates\n#  deb   http://security.debian.org/debian-security bookworm-security main # sec\n'

describe('apt_repository on a real host (differential against ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['p1', 'p2'])
  const [root] = osEnvs(bed, 'p1')
  let repo = ''
  let url = (_h: string) => ''
  before(async () => {
    repo = buildAptRepo([{ name: 'acplay-hello', version: '1.0', files: { '/usr/share/acplay-hello/VERSION': '1.0\n' } }])
    const served = await bed().serve(repo)
    url = (h) => served.urlFor(h).replace(/\/$/, '')
    // no internet: only commented-out Debian sources, one messy file (our repo), one empty file
    const setup = (h: string) => `rm -f /etc/apt/sources.list.d/*; printf '%s' '${SOURCES_LIST}' > /etc/apt/sources.list
printf 'deb   [trusted=yes]  ${url(h)}  ./   #  old\\n' > /etc/apt/sources.list.d/messy.list; : > /etc/apt/sources.list.d/empty.list
rm -rf /var/lib/apt/lists/*`
    await Promise.all([sh(bed(), 'p1', setup('p1')), sh(bed(), 'p2', setup('p2'))])
  })
  after(() => {
    if (repo) rmSync(repo, { recursive: true, force: true })
  })
  const files = (h: string) => sh(bed(), h, 'cd /etc/apt && for f in sources.list sources.list.d/*; do echo "== $f $(stat -c %a "$f")"; cat "$f"; done')
  const gw = (h: string) => url(h).replace(/^http:\/\//, '')
  const same = async () =>
    assert.equal(
      (await files('p1')).replaceAll(gw('p1'), 'GW').replaceAll(gw('p1').replace(/[.:]/g, '_'), 'GW'),
      (await files('p2')).replaceAll(gw('p2'), 'GW').replaceAll(gw('p2').replace(/[.:]/g, '_'), 'GW'),
    )

  const steps = (h: string): Record<string, unknown>[] => [
    { repo: `deb [trusted=yes] ${url(h)}/ ./` },
    { repo: `deb [trusted=yes] ${url(h)}/   ./` },
    // a disabled line with the same source is enabled, not added
    { repo: 'deb http://deb.debian.org/debian bookworm main', update_cache: false },
    { repo: 'deb http://deb.debian.org/debian bookworm main', state: 'absent', update_cache: false },
    { repo: `deb [trusted=yes] ${url(h)}/extra ./`, filename: 'extra', mode: '0600', update_cache: false },
    { repo: `deb [trusted=yes] ${url(h)}/extra ./`, state: 'absent', update_cache: false },
    { repo: `deb [trusted=yes] ${url(h)} ./`, state: 'absent', update_cache: false },
    { repo: 'not a source line' },
    { repo: '# deb http://x/ y z' },
  ]

  it('converges like ansible-playbook: the same files, modes and changed per step; check mode predicts each run', async () => {
    const run = async (args: Record<string, unknown>) => (await predictThenRun(aptRepository, args, root!.env())).applied
    await differential(bed(), 'p2', { module: 'ansible.builtin.apt_repository', mine: steps('p1'), theirs: steps('p2'), run })
    await same()
    assert.equal(await sh(bed(), 'p1', 'apt-cache policy acplay-hello | grep Candidate'), 'Candidate: 1.0', 'the cache was updated with the new source')
  })

  it('a later apt task in check mode plans against the new source (effects); the real run installs it', async () => {
    await sh(bed(), 'p1', 'rm -f /etc/apt/sources.list.d/*.list; rm -rf /var/lib/apt/lists/*')
    const effects = new EffectStore()
    const env = { ...root!.env(), effects }
    const args = { repo: `deb [trusted=yes] ${url('p1')}/ ./`, filename: 'local' }
    assert.equal((await checkRun(aptRepository, args, env)).status, 'changed')
    const a = await checkRun(apt, { name: 'acplay-hello' }, env)
    assert.equal(a.status, 'changed', a.msg)
    assert.deepEqual(
      a.changes.map((c) => c.summary),
      ['install acplay-hello (candidate after the source change of an earlier task)'],
    )
    assert.equal((await checkRun(aptRepository, args, env)).status, 'ok', 'a second check sees the first')
    assert.equal((await checkRun(apt, { name: 'acplay-hello' }, root!.env())).status, 'failed', 'without the effects the package is unknown')
    await predictThenRun(aptRepository, args, root!.env())
    assert.equal((await realRun(apt, { name: 'acplay-hello' }, root!.env())).status, 'changed')
  })

  it('a failed cache update puts the files back and fails, as Ansible; drift (a deleted file) is repaired', async () => {
    const before = await files('p1')
    const bad = await realRun(aptRepository, { repo: 'deb [trusted=yes] http://127.0.0.1:9/nothing ./', update_cache_retries: 1 }, root!.env())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /Failed to update apt cache/)
    assert.equal(await files('p1'), before, 'the source files are as they were')
    await sh(bed(), 'p1', 'rm /etc/apt/sources.list.d/local.list')
    const args = { repo: `deb [trusted=yes] ${url('p1')}/ ./`, filename: 'local' }
    assert.equal((await checkRun(aptRepository, args, root!.env())).status, 'changed', 'drift seen')
    await predictThenRun(aptRepository, args, root!.env())
    assert.equal((await realRun(aptRepository, args, root!.env())).status, 'ok')
  })
})
