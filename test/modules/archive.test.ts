/**
 * archive on real hosts, side by side with ansible-playbook (community.general 6.6 on its host): a
 * tree into tar.gz and into zip (exclusion_patterns, mode, owner), a glob list with exclude_path
 * into tar.bz2, one file compressed alone (gz without dest, xz), archived alone (tar) and forced
 * into a zip, a tree and a file removed after archiving (xz, bz2), a missing source, and sources an
 * earlier task of the run creates. The state compared: every archive's members in order with their
 * type, mode, size, link and content, a compressed file's content, dest's owner and mode, and which
 * sources are left; the changed counts on the first run (check mode predicting it), the re-run,
 * and drift: a source's content, its mtime alone, a file added and one removed, dest deleted,
 * dest's mode. The failure words are compared with the module's own.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { archive } from '../../modules/archive.js'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a tree into tar.gz, the cache left out
      community.general.archive: { path: /srv/arc/app, dest: /srv/out/app.tgz, exclusion_patterns: ["*.bin"] }
    - name: the same tree into a zip, sub's logs left out, given an owner and mode
      archive: { path: /srv/arc/app, dest: /srv/out/app.zip, format: zip, exclusion_patterns: ["*/sub/*.log"], owner: www-data, mode: "0600" }
    - name: a glob and a file into tar.bz2, one log taken out of the list
      archive: { path: ["/srv/arc/logs/*.log", /srv/arc/one.conf], exclude_path: [/srv/arc/logs/keep.log], dest: /srv/out/logs.tar.bz2, format: bz2 }
    - name: one file compressed alone, dest beside it
      archive: { path: /srv/arc/single.txt }
    - name: one file compressed alone with xz
      archive: { path: /srv/arc/one.conf, dest: /srv/out/one.conf.xz, format: xz }
    - name: one file archived alone (tar)
      archive: { path: /srv/arc/one.conf, dest: /srv/out/one.tar, format: tar }
    - name: one file forced into a zip
      archive: { path: /srv/arc/single.txt, dest: /srv/out/single.zip, format: zip, force_archive: true }
    - name: a tree into tar.xz, then removed
      archive: { path: /srv/arc/rm, dest: /srv/out/rm.tar.xz, format: xz, remove: true }
    - name: a file compressed with bz2, then removed
      archive: { path: /srv/arc/rmfile.txt, format: bz2, remove: true }
    - name: nothing there
      archive: { path: [/srv/arc/nothere], dest: /srv/out/none.tgz }
    - name: a directory an earlier task makes
      file: { path: /srv/arc/new, state: directory }
    - name: and a file in it
      copy: { content: "made by the run\\n", dest: /srv/arc/new/n.txt }
    - name: archived (check mode knows what the two tasks before make)
      archive: { path: /srv/arc/new, dest: /srv/out/new.tgz }
    - name: a file an earlier task writes
      copy: { content: "generated\\n", dest: /srv/arc/gen.txt }
    - name: compressed alone
      archive: { path: /srv/arc/gen.txt }
`
const SEED = `mkdir -p /srv/arc/app/sub /srv/arc/app/cache /srv/arc/logs/old /srv/arc/rm/deep /srv/out
cd /srv/arc
echo alpha > app/a.txt; touch -d '2019-05-05 10:00:00' app/a.txt; echo beta > app/sub/b.txt; echo log > app/sub/c.log; seq 1 800 > app/cache/tmp.bin
ln -s a.txt app/link; chmod 0750 app/sub
for f in x y keep; do echo "$f line" > logs/$f.log; done; echo z > logs/old/z.log
echo single > single.txt; printf 'key = value\\n' > one.conf
echo r > rm/r.txt; echo d > rm/deep/d.txt; echo gone > rmfile.txt`
// every archive's members in order (type, mode, size, link, content digest), compressed contents, dest attributes, sources left
const STATE = `python3 - <<'PY'
import bz2, glob, gzip, hashlib, lzma, os, tarfile, zipfile
h = lambda b: hashlib.sha256(b).hexdigest()[:12]
for p in sorted(glob.glob('/srv/out/*') + glob.glob('/srv/arc/*.gz') + glob.glob('/srv/arc/*.bz2')):
    st = os.stat(p)
    print(p, st.st_uid, st.st_gid, oct(st.st_mode & 0o7777))
    if p.endswith('.zip'):
        z = zipfile.ZipFile(p)
        for i in z.infolist(): print('  ', i.filename, i.CRC, h(z.read(i)))
    elif p.endswith(('.tar', '.tgz', '.tar.bz2', '.tar.xz')):
        t = tarfile.open(p)
        for m in t.getmembers():
            f = t.extractfile(m) if m.isfile() else None
            print('  ', m.name, m.type.decode(), oct(m.mode), m.size, m.linkname, m.uname, h(f.read()) if f else '')
    else:
        o = {'.gz': gzip.open, '.bz2': bz2.open, '.xz': lzma.open}[os.path.splitext(p)[1]]
        print('  ', h(o(p).read()))
PY
find /srv/arc | sort`

// the results each tool registers, once the first playbook ran (dest's size left out: the compressors' bytes differ)
const RESULTS = `- hosts: all
  gather_facts: false
  tasks:
    - archive: { path: /srv/arc/app, dest: /srv/out/app.tgz, exclusion_patterns: ["*.bin"] }
      register: tree
    - archive: { path: /srv/arc/app, dest: /srv/out/app.zip, format: zip, exclusion_patterns: ["*/sub/*.log"], owner: www-data, mode: "0600" }
      register: zip
    - archive: { path: ["/srv/arc/logs/*.log", /srv/arc/one.conf, /srv/arc/nothere.conf], exclude_path: [/srv/arc/logs/keep.log], dest: /srv/out/logs2.tar, format: tar }
      register: incomplete
    - archive: { path: /srv/arc/single.txt }
      register: single
    - archive: { path: [/srv/arc/nothere], dest: /srv/out/none.tgz }
      register: missing
    - archive: { path: /srv/arc/app, dest: /srv/out/check.tgz }
      check_mode: true
      register: checked
    - archive: { path: /srv/arc/logs/old, dest: /srv/out/old.tar.gz, remove: true }
      register: removed
    - copy:
        dest: /srv/results.json
        content: "{{ [tree, zip, incomplete, single, missing, checked, removed] | to_json }}"
`
const RESULTS_STATE = `python3 -c '
import json
for r in json.load(open("/srv/results.json")):
    print(json.dumps({k: v for k, v in r.items() if k not in ("invocation", "ansible_facts", "failed", "size")}, sort_keys=True))
'`

describe('archive on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['arc-a', 'arc-b'])
  const root = hostConnections(bed, 'arc-a')
  const sides = new SideBySide(bed, 'arc-a', 'arc-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['arc-a', 'arc-b']) {
      const r = await bed().exec(h, SEED)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run (sources made by earlier tasks too); both tools leave the same archives', async () => {
    const state = await sides.firstRun(14)
    // the tree's members in os.walk order, the cache and sub's log excluded, the directory itself not a member
    // (the order of a directory's entries is the host's: the same on both)
    const tgz = /\/srv\/out\/app.tgz 0 0 0o644\n((?: {3}.*\n)*)/.exec(state)![1]!
    assert.deepEqual(
      tgz
        .split('\n')
        .filter(Boolean)
        .map((l) => l.trim().split(' ').slice(0, 3).join(' '))
        .sort(),
      ['app/a.txt 0 0o644', 'app/cache 5 0o755', 'app/link 2 0o777', 'app/sub 5 0o750', 'app/sub/b.txt 0 0o644', 'app/sub/c.log 0 0o644'],
    )
    assert.match(tgz, /^ {3}app\/(sub|cache) 5 .*\n {3}app\/(sub|cache) 5 .*\n {3}app\/(a.txt|link) /, 'subdirectories first, then files')
    assert.match(state, /\/srv\/out\/app.zip 33 0 0o600\n/)
    assert.match(state, /\/srv\/out\/logs.tar.bz2 0 0 0o644\n {3}logs\/x.log 0 0o644 7 {2}root \w+\n {3}logs\/y.log 0 0o644 7 {2}root \w+\n {3}one.conf /)
    assert.match(state, /\/srv\/out\/one.tar 0 0 0o644\n {3}one.conf 0 0o644 12 {2}root \w+\n\/srv/)
    assert.match(state, /\/srv\/out\/new.tgz 0 0 0o644\n {3}new\/n.txt 0 0o644 16 {2}root \w+\n/)
    // removed after archiving: the tree and the file; the other sources stay
    assert.doesNotMatch(state, /^\/srv\/arc\/rm(file.txt)?$/m)
    assert.match(state, /^\/srv\/arc\/rmfile.txt.bz2$/m)
    assert.match(state, /^\/srv\/arc\/single.txt$/m)
  })

  it('re-runs change nothing with either tool (each rewrites the same archives); check mode on the converged host is all ok', () => sides.rerun())

  it("drift: a source's content changes the tar and the zip holding it", async () => {
    // fixed mtimes: Ansible tells a tar member changed by its header's checksum, a byte sum, which an
    // mtime and size moving together can leave equal (seen: Ansible's tar ok after this drift)
    await sides.drift("echo more >> /srv/arc/app/a.txt && touch -d '2022-02-02 02:02:02' /srv/arc/app/a.txt", 2)
  })

  it("drift: a source's mtime alone changes the tar, not the zip (it compares CRCs)", async () => {
    await sides.drift("touch -d '2020-01-01 12:00' /srv/arc/app/a.txt", 1)
  })

  it('drift: a file added to a glob, a file removed from a tree', async () => {
    await sides.drift('echo new > /srv/arc/logs/new.log && rm /srv/arc/app/sub/b.txt', 3)
  })

  it("drift: a compressed source's content, a deleted dest, dest's mode", async () => {
    await sides.drift('echo more >> /srv/arc/single.txt && rm /srv/out/one.conf.xz && chmod 0644 /srv/out/app.zip', 4)
  })

  it("registers the module's results: archived (a zip's files only), missing, expanded paths, arcroot, dest_state, dest's fields; check mode's", async () => {
    const results = new SideBySide(bed, 'arc-a', 'arc-b', RESULTS, RESULTS_STATE)
    await results.both(4)
    const state = await results.sameState()
    assert.match(state, /"dest_state": "incomplete".*"missing": \["\/srv\/arc\/nothere.conf"\]/)
    assert.match(state, /"archived": \[\], "arcroot": "\/srv\/arc\/", "changed": true, "dest": "\/srv\/out\/check.tgz", "dest_state": "absent"/)
  })

  it('failures: the words of the module (dest required, no source found, dest inside a removed tree)', async () => {
    const cases: Record<string, unknown>[] = [
      { path: ['/srv/arc/app', '/srv/arc/one.conf'] },
      { path: ['/srv/arc/nomatch*'], dest: '/srv/out/x.tgz' },
      { path: ['/srv/arc/app'], dest: '/srv/arc/app/in.tgz', remove: true },
    ]
    for (const args of cases) {
      const mine = await realRun(archive, args, root())
      const theirs = await ansibleModule(bed(), 'arc-b', 'community.general.archive', JSON.stringify(args))
      assert.equal(mine.status, 'failed')
      assert.equal(mine.msg, theirs.msg)
      for (const k of ['path', 'dest', 'expanded_paths', 'expanded_exclude_paths', 'state', 'mode'])
        assert.deepEqual(mine.data[k], theirs[k], `${k} of ${JSON.stringify(args)}`)
    }
  })
})
