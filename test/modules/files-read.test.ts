/**
 * stat, find, slurp, tempfile and fetch on a real host: the same answers as Debian's ansible gives
 * (differential), check mode that sees what earlier tasks would write, one round trip each, drift.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { copy } from '../../modules/copy.js'
import { fetch } from '../../modules/fetch.js'
import { find } from '../../modules/find.js'
import { slurp } from '../../modules/slurp.js'
import { stat } from '../../modules/stat.js'
import { tempfile } from '../../modules/tempfile.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'fr1'
const TREE = `set -e
rm -rf /srv/fr; mkdir -p /srv/fr/sub/deep /srv/fr/.hid
printf 'hello\\nworld\\n' > /srv/fr/a.txt; printf 'port=5432\\n' > /srv/fr/sub/b.conf; printf 'x\\n' > /srv/fr/sub/deep/c.log
printf '\\000\\001\\002binary' > /srv/fr/bin.dat; head -c 20000 /dev/zero > /srv/fr/sub/big.log; touch /srv/fr/.hid/h.txt /srv/fr/.dot
ln -s a.txt /srv/fr/link; ln -s /nowhere /srv/fr/dangling; mkfifo /srv/fr/fifo
chmod 0640 /srv/fr/a.txt; chown deploy:root /srv/fr/sub/b.conf; chmod 4755 /srv/fr/sub/deep
touch -d '10 days ago' /srv/fr/sub/deep/c.log`

describe('stat, find, slurp, tempfile, fetch on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()
  const inv = () => bed().inventory()

  it('stat reports what Ansible reports: files, directories, links, fifos, missing paths, options', async () => {
    await sh(bed(), H, TREE)
    const cases: Record<string, unknown>[] = [
      { path: '/srv/fr/a.txt' },
      { path: '/srv/fr/sub/deep' },
      { path: '/srv/fr/link' },
      { path: '/srv/fr/link', follow: true },
      { path: '/srv/fr/dangling' },
      { path: '/srv/fr/dangling', follow: true },
      { path: '/srv/fr/fifo' },
      { path: '/srv/fr/bin.dat', checksum_algorithm: 'sha256', get_mime: false, get_attributes: false },
      { path: '/srv/fr/missing' },
      { path: '/dev/null' },
    ]
    const theirs = await ansibleTasks(
      inv(),
      H,
      cases.map((args) => ({ module: 'stat', args })),
    )
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(stat, args, env())
      assert.equal(ours.status, 'ok', ours.msg)
      assert.deepEqual(comparable(ours.data), comparable(theirs[i]!), JSON.stringify(args))
    }
  })

  it('stat as deploy with become, and as deploy without: access flags are the task user', async () => {
    const asRoot = await realRun(stat, { path: '/srv/fr/a.txt' }, deploy!.env())
    assert.equal((asRoot.data.stat as { readable: boolean }).readable, true)
    const conn = bed().connection(H, 'deploy')
    try {
      const plain = await realRun(stat, { path: '/srv/fr/a.txt' }, { conn })
      const s = plain.data.stat as Record<string, unknown>
      assert.deepEqual([s.exists, s.readable, s.writeable, 'checksum' in s], [true, false, false, false], 'an unreadable file has no checksum')
    } finally {
      await conn.close()
    }
  })

  it('stat is one round trip; in check mode it sees the file an earlier task would write, as the run then finds it', async () => {
    const conn = env().conn
    const before = conn.execCount
    await realRun(stat, { path: '/srv/fr/a.txt' }, env())
    assert.equal(conn.execCount - before, 1)
    const effects = new EffectStore()
    const write = { dest: '/srv/fr/new.conf', content: 'a=1\n', mode: '0600', owner: 'deploy' }
    assert.equal((await checkRun(copy, write, { ...env(), effects })).status, 'changed')
    const predicted = await checkRun(stat, { path: '/srv/fr/new.conf' }, { ...env(), effects })
    const fresh = await checkRun(stat, { path: '/srv/fr/new.conf' }, env())
    assert.deepEqual((fresh.data.stat as { exists: boolean }).exists, false, 'without the earlier task: not there')
    await realRun(copy, write, env())
    const real = (await realRun(stat, { path: '/srv/fr/new.conf' }, env())).data.stat as Record<string, unknown>
    const p = predicted.data.stat as Record<string, unknown>
    for (const k of ['exists', 'isreg', 'isdir', 'mode', 'pw_name', 'gr_name', 'size', 'checksum', 'rusr', 'roth']) assert.deepEqual(p[k], real[k], k)
    // drift: the file changes under the playbook; stat reports the new state
    await sh(bed(), H, 'chmod 0644 /srv/fr/new.conf; echo b=2 >> /srv/fr/new.conf')
    const drifted = (await realRun(stat, { path: '/srv/fr/new.conf' }, env())).data.stat as Record<string, unknown>
    assert.deepEqual([drifted.mode, drifted.size], ['0644', 8])
    assert.notEqual(drifted.checksum, real.checksum)
  })

  it('find selects what Ansible selects', async () => {
    const cases: Record<string, unknown>[] = [
      { paths: '/srv/fr' },
      { paths: ['/srv/fr'], recurse: true, hidden: true },
      { paths: '/srv/fr', patterns: ['*.log', '*.conf'], recurse: true, get_checksum: true },
      { paths: '/srv/fr', patterns: '^[ab]\\..*$', use_regex: true, recurse: true, excludes: '.*\\.dat' },
      { paths: '/srv/fr', contains: 'port=\\d+', recurse: true },
      { paths: '/srv/fr', age: '5d', recurse: true },
      { paths: '/srv/fr', age: '-5d', recurse: true, file_type: 'any' },
      { paths: '/srv/fr', size: '10k', recurse: true },
      { paths: '/srv/fr', file_type: 'directory', recurse: true, depth: 2 },
      { paths: '/srv/fr', file_type: 'link' },
      { paths: ['/srv/fr/missing', '/srv/fr/a.txt', '/srv/fr/sub'] },
    ]
    const all = await ansibleTasks(
      inv(),
      H,
      cases.map((args) => ({ module: 'find', args })),
    )
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(find, args, env())
      assert.equal(ours.status, 'ok', ours.msg)
      const theirs = comparable(all[i]!)
      const sort = (d: Record<string, unknown>) => ({ ...d, files: [...(d.files as { path: string }[])].sort((a, b) => a.path.localeCompare(b.path)) })
      assert.deepEqual(sort(comparable(ours.data)), sort(theirs), JSON.stringify(args))
    }
    const bad = await realRun(find, { paths: '/srv/fr', age: '3 days' }, env())
    assert.deepEqual([bad.status, bad.msg], ['failed', 'failed to process age'])
  })

  it('slurp: the bytes as base64, as Ansible; its reasons for what it cannot read', async () => {
    const [bin, text, theirs] = await ansibleTasks(inv(), H, [
      { module: 'slurp', args: { src: '/srv/fr/bin.dat' } },
      { module: 'slurp', args: { src: '/srv/fr/a.txt' } },
      { module: 'slurp', args: { src: '/srv/fr/missing' } },
    ])
    assert.deepEqual((await realRun(slurp, { src: '/srv/fr/bin.dat' }, env())).data, comparable(bin!))
    assert.deepEqual((await realRun(slurp, { src: '/srv/fr/a.txt' }, env())).data, comparable(text!))
    for (const [src, msg] of [
      ['/srv/fr/missing', theirs!.msg],
      ['/srv/fr/sub', 'source is a directory and must be a file: /srv/fr/sub'],
    ]) {
      const r = await realRun(slurp, { src }, env())
      assert.deepEqual([r.status, r.msg], ['failed', msg])
    }
    // check mode: the text an earlier task would write
    const effects = new EffectStore()
    await checkRun(copy, { dest: '/srv/fr/a.txt', content: 'planned\n' }, { ...env(), effects })
    const c = await checkRun(slurp, { src: '/srv/fr/a.txt' }, { ...env(), effects })
    assert.equal(Buffer.from(String(c.data.content), 'base64').toString(), 'planned\n')
  })

  it('tempfile: skipped in check mode (as Ansible), a new 0600 file or 0700 directory each run', async () => {
    const c = await checkRun(tempfile, {}, env())
    assert.equal(c.status, 'skipped')
    const [theirCheck, theirs] = await ansibleTasks(inv(), H, [
      { module: 'tempfile', args: { state: 'file' }, check: true },
      { module: 'tempfile', args: { path: '/srv/fr', prefix: 'build.', suffix: '.tmp' } },
    ])
    assert.equal(theirCheck!.skipped, true)
    const f = await realRun(tempfile, { path: '/srv/fr', prefix: 'build.', suffix: '.tmp' }, env())
    assert.equal(f.status, 'changed')
    assert.match(String(f.data.path), /^\/srv\/fr\/build\.[A-Za-z0-9_]{8}\.tmp$/)
    assert.match(String(theirs!.path), /^\/srv\/fr\/build\.[A-Za-z0-9_]{8}\.tmp$/)
    assert.deepEqual(comparable(f.data, ['path']), comparable(theirs!, ['path']), 'the same fields about the new file')
    const d = await realRun(tempfile, { state: 'directory' }, env())
    assert.match(String(d.data.path), /^\/tmp\/ansible\.[A-Za-z0-9_]{8}$/)
    assert.deepEqual([d.data.state, d.data.mode], ['directory', '0700'])
    assert.equal(await sh(bed(), H, `stat -c '%a %F' ${f.data.path} ${d.data.path}`), '600 regular empty file\n700 directory')
    assert.notEqual((await realRun(tempfile, { path: '/srv/fr', prefix: 'build.', suffix: '.tmp' }, env())).data.path, f.data.path)
  })

  describe('fetch', () => {
    const local = mkdtempSync(join(tmpdir(), 'acplay-fetch-'))
    after(() => rmSync(local, { recursive: true, force: true }))

    it('check on a fresh controller says it would fetch, writes nothing; the run fetches; again ok; drift on either side is repaired', async () => {
      const args = { src: '/srv/fr/bin.dat', dest: local }
      const dest = join(local, H, 'srv/fr/bin.dat')
      const c = await checkRun(fetch, args, env())
      assert.equal(c.status, 'changed')
      assert.deepEqual(
        c.changes.map((x) => x.summary),
        [`fetch /srv/fr/bin.dat to ${dest} on the controller`],
      )
      assert.equal(existsSync(dest), false)
      const r = await realRun(fetch, args, env())
      assert.equal(r.status, 'changed', r.msg)
      assert.deepEqual(readFileSync(dest), Buffer.from('\x00\x01\x02binary', 'latin1'))
      assert.equal(r.data.checksum, r.data.remote_checksum)
      const conn = env().conn
      const before = conn.execCount
      const again = await realRun(fetch, args, env())
      assert.deepEqual([again.status, conn.execCount - before], ['ok', 1])
      assert.equal((await checkRun(fetch, args, env())).status, 'ok')
      writeFileSync(dest, 'tampered')
      assert.equal((await checkRun(fetch, args, env())).status, 'changed')
      assert.equal((await realRun(fetch, args, env())).status, 'changed')
      await sh(bed(), H, 'echo more >> /srv/fr/bin.dat')
      assert.equal((await realRun(fetch, args, env())).status, 'changed')
      assert.equal(readFileSync(dest).toString('latin1'), '\x00\x01\x02binarymore\n')
    })

    it('flat, become, and what it cannot fetch', async () => {
      const flatDest = join(local, 'flat', 'a.txt')
      const r = await realRun(fetch, { src: '/srv/fr/a.txt', dest: flatDest, flat: true }, deploy!.env())
      assert.equal(r.status, 'changed', r.msg)
      assert.equal(readFileSync(flatDest, 'utf8'), 'hello\nworld\n')
      const intoDir = await realRun(fetch, { src: '/srv/fr/a.txt', dest: `${local}/flat/`, flat: true }, env())
      assert.deepEqual([intoDir.status, intoDir.data.dest], ['ok', flatDest])
      const dirNoSlash = await realRun(fetch, { src: '/srv/fr/a.txt', dest: `${local}/flat`, flat: true }, env())
      assert.match(dirNoSlash.msg!, /dest is an existing directory, use a trailing slash/)
      const missing = await realRun(fetch, { src: '/srv/fr/missing', dest: local }, env())
      assert.deepEqual([missing.status, missing.msg], ['failed', 'the remote file does not exist, not transferring, ignored'])
      const ignored = await realRun(fetch, { src: '/srv/fr/missing', dest: local, fail_on_missing: false }, env())
      assert.equal(ignored.status, 'ok')
      const dir = await realRun(fetch, { src: '/srv/fr/sub', dest: local }, env())
      assert.deepEqual([dir.status, dir.msg], ['failed', 'remote file is a directory, fetch cannot work on directories'])
      // an absolute path is normalised on the remote side: /../../etc/passwd is /etc/passwd, under dest/HOST
      const abs = await realRun(fetch, { src: '/../../../etc/passwd', dest: local }, env())
      assert.equal(abs.status, 'changed', abs.msg)
      assert.equal(existsSync(join(local, H, 'etc/passwd')), true)
      const out = await realRun(fetch, { src: '../../../../etc/passwd', dest: local }, env())
      assert.match(out.msg!, /Detected directory traversal/)
    })
  })
})
