/**
 * apt_key and deb822_repository on real hosts, against a local repository signed with a throw-away
 * GPG key: apt_key differentially against Debian's ansible-playbook (s2); deb822_repository (newer
 * than Debian's ansible) against the exact file format Ansible documents and against apt itself,
 * which must accept the files and verify the signature. Check mode predicts each run; drift is repaired.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { apt } from '../../modules/apt.js'
import { aptKey } from '../../modules/apt-key.js'
import { deb822Repository } from '../../modules/deb822-repository.js'
import { differential } from '../helpers/ansible-diff.js'
import { buildAptRepo, makeRepoKey, signRepo, type RepoKey } from '../helpers/apt-repo.js'
import { assertPredicts, checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

describe('apt_key and deb822_repository with a signed local repository', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['s1', 's2'])
  const [root, deploy] = osEnvs(bed, 's1')
  let repo = ''
  let key: RepoKey
  let url = (_h: string) => ''
  before(async () => {
    key = makeRepoKey()
    repo = buildAptRepo([{ name: 'acplay-hello', version: '1.0', files: { '/usr/share/acplay-hello/VERSION': '1.0\n' } }])
    signRepo(repo, key)
    writeFileSync(join(repo, 'key.asc'), key.armored)
    const served = await bed().serve(repo)
    url = (h) => served.urlFor(h).replace(/\/$/, '')
    const setup = (h: string) =>
      `mkdir -p /root/off && mv /etc/apt/sources.list /root/off/ && rm -rf /var/lib/apt/lists/* && printf '%s' '${key.armored}' > /root/key.asc && echo 'deb ${url(h)}/ ./' > /etc/apt/sources.list.d/signed.list`
    await Promise.all([sh(bed(), 's1', setup('s1')), sh(bed(), 's2', setup('s2'))])
  })
  after(() => {
    if (repo) rmSync(repo, { recursive: true, force: true })
    if (key) rmSync(key.home, { recursive: true, force: true })
  })
  const trusted = (h: string) => sh(bed(), h, `apt-key adv --list-public-keys --keyid-format=long 2>/dev/null | grep -c '/${key.keyId} ' || true`)
  const update = (h: string) => bed().exec(h, 'apt-get -q update -o APT::Update::Error-Mode=any 2>&1')

  it('apt_key converges like ansible-playbook (data, url, file, absent by long and short id); apt then verifies the repository', async () => {
    const steps = (h: string): Record<string, unknown>[] => [
      { data: key.armored },
      { data: key.armored },
      { id: key.keyId, url: `${url(h)}/key.asc` },
      { id: key.fingerprint, state: 'absent' },
      { url: `${url(h)}/key.asc` },
      { id: `0x${key.keyId.slice(-8)}`, state: 'absent' },
      { file: '/root/key.asc' },
      { id: 'XYZ' },
      { data: 'not a key' },
    ]
    const run = async (args: Record<string, unknown>) => (await predictThenRun(aptKey, args, root!.env())).applied
    const d = await differential(bed(), 's2', { module: 'ansible.builtin.apt_key', mine: steps('s1'), theirs: steps('s2'), run })
    d.theirs.forEach((t, i) => {
      if (!t.failed) for (const k of ['id', 'key_id', 'short_id', 'fp'] as const) assert.equal(d.mine[i]!.data[k], t.result[k], `step ${i} ${k}`)
    })
    assert.equal(await trusted('s1'), '1')
    assert.equal(await trusted('s2'), '1')
    const r = await update('s1')
    assert.equal(r.rc, 0, r.stdout)
    assert.equal((await realRun(aptKey, { id: key.fingerprint, state: 'absent' }, root!.env())).status, 'changed')
    const bad = await update('s1')
    assert.notEqual(bad.rc, 0, 'without the key apt refuses the repository')
    assert.match(bad.stdout, /NO_PUBKEY|not signed|public key is not available/)
  })

  it('deb822_repository with signed_by as a URL: the key file and the .sources file Ansible writes; apt verifies and installs', async () => {
    await sh(bed(), 's1', 'rm -f /etc/apt/sources.list.d/*; rm -rf /var/lib/apt/lists/*')
    const args = { name: 'acplay local', uris: url('s1'), suites: './', signed_by: `${url('s1')}/key.asc` }
    const effects = new EffectStore()
    const env = { ...deploy!.env(), effects }
    const c = await checkRun(deb822Repository, args, env)
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      [
        `create /etc/apt/keyrings/acplay-local.asc (${Buffer.byteLength(key.armored)} bytes, mode 0644, owner root:root)`,
        'create /etc/apt/sources.list.d/acplay-local.sources',
      ],
    )
    // a later apt task in check mode with a cache_valid_time: the lists just emptied are fresh, as Ansible's
    // apt trusts their age whatever the sources say, so no update, and the package only the new source
    // has is not available (the real run would fail alike)
    const fresh = await checkRun(apt, { name: 'acplay-hello', update_cache: true, cache_valid_time: 3600 }, env)
    assert.equal(fresh.status, 'failed')
    assert.match(fresh.msg!, /^No package matching 'acplay-hello' is available$/)
    // update_cache alone updates; the candidate is unknown until then
    const a = await checkRun(apt, { name: 'acplay-hello', update_cache: true }, env)
    assert.deepEqual(
      a.changes.map((x) => x.summary),
      ['update the apt cache', 'install acplay-hello (candidate after the cache update)'],
    )
    assert.equal(await sh(bed(), 's1', 'find /etc/apt/sources.list.d /etc/apt/keyrings -type f | wc -l'), '0', 'check mode wrote nothing')
    const { applied } = await assertPredicts(deb822Repository, args, deploy!.env())
    const text = `X-Repolib-Name: acplay local\nSigned-By: /etc/apt/keyrings/acplay-local.asc\nSuites: ./\nTypes: deb\nURIs: ${url('s1')}\n`
    assert.equal(applied.data.repo, text)
    assert.equal(applied.data.key_filename, '/etc/apt/keyrings/acplay-local.asc')
    assert.equal(
      await sh(
        bed(),
        's1',
        'cat /etc/apt/sources.list.d/acplay-local.sources; stat -c "%a %U" /etc/apt/sources.list.d/acplay-local.sources /etc/apt/keyrings/acplay-local.asc',
      ),
      `${text}644 root\n644 root`,
    )
    assert.equal(
      (await realRun(apt, { name: 'acplay-hello', update_cache: true }, root!.env())).status,
      'changed',
      'apt verified the repository with the key file',
    )
    assert.equal(await trusted('s1'), '0', 'no key in apt-key: only signed-by made it work')
  })

  it('signed_by as an armored block (multi-line field with "." lines) also verifies; drift is repaired; absent removes both files', async () => {
    await sh(bed(), 's1', 'rm -f /etc/apt/sources.list.d/* /etc/apt/keyrings/*; rm -rf /var/lib/apt/lists/*')
    const args = { name: 'inline_key', uris: [url('s1')], suites: ['./'], signed_by: key.armored, enabled: true, mode: '0600' }
    await assertPredicts(deb822Repository, args, root!.env())
    const file = await sh(bed(), 's1', 'cat /etc/apt/sources.list.d/inline_key.sources')
    assert.match(file, /^Enabled: yes\nX-Repolib-Name: inline_key\nSigned-By:\n {4}-----BEGIN PGP PUBLIC KEY BLOCK-----\n {4}\.\n {4}\S+/)
    const r = await update('s1')
    assert.equal(r.rc, 0, r.stdout)
    await sh(
      bed(),
      's1',
      'sed -i "s/^Enabled: yes/Enabled: no/" /etc/apt/sources.list.d/inline_key.sources; chmod 0644 /etc/apt/sources.list.d/inline_key.sources',
    )
    assert.equal((await checkRun(deb822Repository, args, root!.env())).status, 'changed', 'drift seen')
    await assertPredicts(deb822Repository, args, root!.env())
    assert.equal(await sh(bed(), 's1', 'stat -c %a /etc/apt/sources.list.d/inline_key.sources'), '600')
    const gone = await assertPredicts(deb822Repository, { name: 'inline_key', state: 'absent' }, root!.env())
    assert.equal(gone.again.reason, '/etc/apt/sources.list.d/inline_key.sources does not exist')
    assert.equal(await sh(bed(), 's1', 'ls /etc/apt/sources.list.d/ | wc -l'), '0')
  })
})
