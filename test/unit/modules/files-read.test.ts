import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { repr } from '../../../engine/vars/py-str.js'
import { fetchDest } from '../../../modules/fetch.js'
import { findFiles } from '../../../modules/facts/find.js'
import { pathInfo } from '../../../modules/facts/path-info.js'
import { find } from '../../../modules/find.js'
import { stat, statOutput } from '../../../modules/stat.js'
import { fakeCtx } from './fake-ctx.js'
import { testDir } from '../../helpers/temp-dir.js'

const rec = (fields: string[]) => `${fields.map((f) => `${f}\0`).join('')}end\0`
const FILE = 'stat=81a4|0|0|root|root|12|99|65|1|1700000000.500000000|1700000001.250000000|1700000002.000000000|8|4096|0|0'
const opts = { follow: false, checksum: 'sha1' as const, mime: true, attributes: true }

describe('path.info fact', () => {
  it('parses a file record: stat fields, access, checksum, mime, lsattr', () => {
    const out = rec([FILE, 'access=rw', 'checksum=abc', 'mime=text/plain; charset=us-ascii', 'attr=1 --------------e------- /x'])
    const info = pathInfo.parse({ rc: 0, stdout: out, stderr: '' }, '/x', opts)
    const s = statOutput('/x', info, { mime: true, attributes: true })
    assert.deepEqual(
      [s.mode, s.isreg, s.size, s.mtime, s.readable, s.executable, s.checksum, s.mimetype, s.charset, s.version, s.attr_flags, s.attributes],
      ['0644', true, 12, 1700000001.25, true, false, 'abc', 'text/plain', 'us-ascii', '1', 'e', ['extents']],
    )
  })
  it('a missing path, an error, and lsattr/file that did not run', () => {
    const two = `${rec(['absent'])}${rec(["error=stat: cannot statx '/r/x': Permission denied"])}`
    const [a, b] = pathInfo.batch!.parse({ rc: 0, stdout: two, stderr: '' }, [
      ['/a', opts],
      ['/r/x', opts],
    ])
    assert.deepEqual(a, { exists: false })
    assert.deepEqual(b, { exists: false, error: 'Permission denied' })
    const s = statOutput('/x', pathInfo.parse({ rc: 0, stdout: rec([FILE, 'access=']), stderr: '' }, '/x', opts), { mime: true, attributes: true })
    assert.deepEqual([s.mimetype, s.charset, s.version, s.attributes], ['unknown', 'unknown', null, []])
    assert.throws(
      () =>
        pathInfo.batch!.parse({ rc: 0, stdout: rec(['absent']), stderr: '' }, [
          ['/a', opts],
          ['/b', opts],
        ]),
      /unexpected output/,
    )
  })
  it('one script for several paths, five arguments each', () => {
    const argv = pathInfo.batch!.command([
      ['/a', opts],
      ['/b', { follow: true, mime: false, attributes: false }],
    ]).argv
    assert.deepEqual(argv.slice(4), ['/a', '0', 'sha1', '1', '1', '/b', '1', '', '0', '0'])
  })
})

describe('stat and find results as Python holds them', () => {
  it("stat's times are floats (a whole second prints 1700000002.0) and its keys in Ansible's order", () => {
    const info = pathInfo.parse(
      { rc: 0, stdout: rec([FILE, 'access=rw', 'checksum=abc', 'mime=text/plain; charset=us-ascii', 'attr=1 --------------e------- /x']), stderr: '' },
      '/x',
      opts,
    )
    const s = statOutput('/x', info, { mime: true, attributes: true })
    assert.deepEqual([repr(s.atime), repr(s.mtime), repr(s.ctime)], ['1700000000.5', '1700000001.25', '1700000002.0'])
    // as ansible.builtin.stat's format_output and main() insert them (a registered stat prints and loops in this order)
    const ansible =
      'exists path mode isdir ischr isblk isreg isfifo islnk issock uid gid size inode dev nlink atime mtime ctime wusr rusr xusr wgrp rgrp xgrp ' +
      'woth roth xoth isuid isgid blocks block_size device_type readable writeable executable pw_name gr_name checksum mimetype charset version attributes attr_flags'
    assert.deepEqual(Object.keys(s), ansible.split(' '))
  })

  it("find's matches carry float times, as its os.stat gives them", async () => {
    const file = { path: '/etc/crontab', mode: '0644', atime: 1796490518.7766945, mtime: 1677742435, ctime: 1677742435 }
    const q = {
      paths: ['/etc'],
      patterns: ['crontab'],
      excludes: [],
      read_whole_file: false,
      file_type: 'file',
      age_stamp: 'mtime',
      recurse: false,
      hidden: false,
      follow: false,
      get_checksum: false,
      use_regex: false,
    }
    const ctx = fakeCtx({ [JSON.stringify([findFiles.name, q])]: JSON.stringify({ files: [file], examined: 9, skipped_paths: {} }) })
    const r = await find.plan({ ...q, paths: ['/etc'] } as never, ctx)
    const found = (r.data as { files: Record<string, unknown>[] }).files[0]!
    assert.equal(repr(found), "{'path': '/etc/crontab', 'mode': '0644', 'atime': 1796490518.7766945, 'mtime': 1677742435.0, 'ctime': 1677742435.0}")
  })
})

describe('stat in check mode', () => {
  it('a file an earlier task would write is reported as it would be, with its checksum from the planned text', async () => {
    const ctx = fakeCtx(
      {},
      {
        check: true,
        effects: [
          { fact: 'path.stat', key: '/etc/x', value: { exists: true, type: 'file', mode: '0600', owner: 'astro', group: 'astro', size: 4 } },
          { fact: 'path.content', key: '/etc/x', value: { text: 'a=1\n' } },
        ],
      },
    )
    const plan = await stat.plan(
      { path: '/etc/x', follow: false, get_checksum: true, checksum_algorithm: 'sha1', get_mime: true, get_attributes: true, get_md5: false },
      ctx,
    )
    assert.equal(plan.kind, 'ok')
    const s = plan.data!.stat as Record<string, unknown>
    assert.deepEqual(
      [s.exists, s.isreg, s.mode, s.pw_name, s.rusr, s.roth, s.checksum],
      [true, true, '0600', 'astro', true, false, '9dc9cfd3b38b77561ec22b49a723432e26181003'],
    )
    assert.equal(ctx.reads.length, 0, 'nothing read from the host')
  })
})

describe('fetch destination', () => {
  it('dest/HOST/SRC, flat, flat into a directory, relative to the playbook, no way out of dest/HOST', () => {
    const base = testDir('fetch-unit')
    mkdirSync(join(base, 'dir'))
    assert.equal(fetchDest('/etc/hosts', 'out', false, 'h1', base), join(base, 'out/h1/etc/hosts'))
    assert.equal(fetchDest('/../etc/hosts', '/o', false, 'h1', base), '/o/h1/etc/hosts')
    assert.throws(() => fetchDest('../../x', '/o', false, 'h1', base), /Detected directory traversal/)
    assert.equal(fetchDest('/etc/hosts', '/o/x.txt', true, 'h1', base), '/o/x.txt')
    assert.equal(fetchDest('/etc/hosts', 'dir/', true, 'h1', base), join(base, 'dir/hosts'))
    assert.throws(() => fetchDest('/etc/hosts', 'dir', true, 'h1', base), /use a trailing slash/)
  })
})
