/**
 * Files under faults: the controller interrupted (SIGINT, SIGTERM, SIGKILL) in the middle of a large
 * copy, a full disk at the destination, two runs at once on one host, and a copy larger than any
 * string Node can hold, in bounded memory. A destination file is its old content or its new one,
 * never a part, and no temp file is left behind.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { assertNoStackTrace, recapOf, runAcplay, scratch, startAcplay, waitInRun } from './helpers.js'

const MB = 1024 * 1024

/** A sparse file of `size` bytes, with `marks` written at a few offsets so that files differ. */
function sparse(path: string, size: number, mark = ''): void {
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, Buffer.from(`start ${mark}\n`), 0, undefined, 0)
    writeSync(fd, Buffer.from(`middle ${mark}\n`), 0, undefined, Math.floor(size / 2))
    writeSync(fd, Buffer.from('e'), 0, 1, size - 1)
  } finally {
    closeSync(fd)
  }
}

function sha256File(path: string): string {
  const h = createHash('sha256')
  const fd = openSync(path, 'r')
  const buf = Buffer.alloc(4 * MB)
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  return h.digest('hex')
}

const COPY = `- hosts: all
  gather_facts: false
  tasks:
    - name: the big file
      copy: {src: "{{ src }}", dest: "{{ dest }}", mode: "0640"}
    - name: after the copy
      command: echo after
`

describe('copies under faults', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['c1', 'c2'])
  const dir = scratch('faults-copy', { 'copy.yml': COPY })
  const big = join(dir, 'big.bin')
  after(() => rmSync(dir, { recursive: true, force: true }))
  before(() => sparse(big, 450 * MB, 'one'))
  const play = join(dir, 'copy.yml')
  const remoteSha = async (host: string, path: string) => (await bed().exec(host, `sha256sum < ${path} | cut -c1-64`)).stdout.trim()
  const temps = async (host: string, d: string) => (await bed().exec(host, `find ${d} -name '.acplay-tmp.*' | wc -l`)).stdout.trim()

  it('a 450 MB copy (longer than any Node string) streams in bounded memory; the re-run is a no-op', async () => {
    const inv = bed().inventory({ hosts: ['c1'] })
    const r = await runAcplay(['run', play, '-i', inv, '-e', `src=${big}`, '-e', 'dest=/srv/big.bin'], { rss: true })
    assertNoStackTrace(r)
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.equal(await remoteSha('c1', '/srv/big.bin'), sha256File(big))
    assert.ok(r.maxRssKb! < 200 * 1024, `controller peak RSS ${Math.round(r.maxRssKb! / 1024)} MB for a 450 MB copy (bound 200 MB)`)
    const again = await runAcplay(['run', play, '-i', inv, '-e', `src=${big}`, '-e', 'dest=/srv/big.bin'], { rss: true })
    assert.deepEqual(
      recapOf(again.stdout, 'c1'),
      { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      'the copy is ok, only the command changes',
    )
    assert.ok(again.maxRssKb! < 200 * 1024, `no-op peak RSS ${Math.round(again.maxRssKb! / 1024)} MB`)
    console.log(`450 MB copy: ${r.ms} ms, peak RSS ${Math.round(r.maxRssKb! / 1024)} MB; no-op ${again.ms} ms, ${Math.round(again.maxRssKb! / 1024)} MB`)
  })

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${sig} in the middle of a large copy: the old file stays whole, no temp file, nothing left running`, async () => {
      const b = bed()
      await b.exec('c1', 'mkdir -p /srv/int && printf "old\\n" > /srv/int/f && rm -f /srv/int/.acplay-tmp.*')
      const run = startAcplay(['run', play, '-i', b.inventory({ hosts: ['c1'] }), '-e', `src=${big}`, '-e', 'dest=/srv/int/f'])
      // the stream is under way: the temp file has grown past 20 MB
      await waitInRun(
        run,
        'the upload under way',
        async () => (await b.exec('c1', "find /srv/int -name '.acplay-tmp.*' -size +20M | wc -l")).stdout.trim() === '1',
      )
      const t0 = Date.now()
      run.signal(sig)
      const r = await run.result
      const exitMs = Date.now() - t0
      assertNoStackTrace(r)
      assert.equal(r.code, { SIGINT: 130, SIGTERM: 143, SIGKILL: 137 }[sig], r.stdout + r.stderr)
      if (sig !== 'SIGKILL') {
        assert.ok(exitMs < 3000, `exit ${exitMs} ms after ${sig}`)
        assert.match(r.stderr, new RegExp(`INTERRUPTED \\(${sig}\\)`))
        assert.match(r.stderr, /stopped: \[c1\] TASK \[the big file\] \(.*copy\.yml:4\): its remote commands were stopped/)
        assert.match(r.stderr, /not run: the rest of play 'all' after TASK \[the big file\], on c1/)
      }
      // the host notices a controller that died with the stream's end (EOF): give it a moment
      let left = ''
      for (let i = 0; i < 40; i++) {
        left = `${await temps('c1', '/srv/int')} ${(await b.exec('c1', 'pgrep -x head | wc -l')).stdout.trim()}`
        if (left === '0 0') break
        await new Promise((res) => setTimeout(res, 100))
      }
      assert.equal(left, '0 0', 'temp files, head processes left on the host')
      assert.equal((await b.exec('c1', 'cat /srv/int/f')).stdout, 'old\n', 'the old content, whole')
    })
  }

  it('a full disk at the destination: the task fails clearly, the old file is intact, no temp file (streamed and inline)', async () => {
    const b = bed()
    await b.exec('c2', 'mkdir -p /srv/small && mount -t tmpfs -o size=8m tmpfs /srv/small && printf "old\\n" > /srv/small/f')
    const mid = join(dir, 'mid.bin')
    sparse(mid, 20 * MB)
    const inv = b.inventory({ hosts: ['c2'] })
    const streamed = await runAcplay(['run', play, '-i', inv, '-e', `src=${mid}`, '-e', 'dest=/srv/small/f'])
    assertNoStackTrace(streamed)
    assert.equal(streamed.code, 2, streamed.stdout + streamed.stderr)
    assert.match(streamed.stdout, /fatal: \[c2\]: FAILED! .*No space left on device/)
    assert.equal((await b.exec('c2', 'cat /srv/small/f')).stdout, 'old\n')
    assert.equal(await temps('c2', '/srv/small'), '0')
    // nearly full, then a small file (it travels inside the script)
    await b.exec('c2', 'head -c 8300000 /dev/zero > /srv/small/fill 2>/dev/null; true')
    const small = join(dir, 'small.txt')
    sparse(small, 300 * 1024)
    const inline = await runAcplay(['run', play, '-i', inv, '-e', `src=${small}`, '-e', 'dest=/srv/small/f'])
    assertNoStackTrace(inline)
    assert.equal(inline.code, 2, inline.stdout + inline.stderr)
    assert.match(inline.stdout, /No space left on device/)
    assert.equal((await b.exec('c2', 'cat /srv/small/f')).stdout, 'old\n')
    assert.equal(await temps('c2', '/srv/small'), '0')
    await b.exec('c2', 'umount /srv/small')
  })

  const LINES = `- hosts: all
  gather_facts: false
  tasks:
    - lineinfile: {path: /srv/shared.conf, line: "{{ tag }}-{{ item }}", create: true}
      loop: "{{ range(0, 30) | list }}"
`

  it('two runs at once on one host: no crash, a clear failure at worst; with --lock they take turns and both land', async () => {
    const b = bed()
    const lines = join(dir, 'lines.yml')
    writeFileSync(lines, LINES)
    const inv = b.inventory({ hosts: ['c2'] })
    const both = (extra: string[]) => Promise.all(['A', 'B'].map((tag) => runAcplay(['run', lines, '-i', inv, '-e', `tag=${tag}`, ...extra])))
    await b.exec('c2', 'rm -f /srv/shared.conf')
    for (const r of await both([])) {
      assertNoStackTrace(r)
      assert.doesNotMatch(r.stdout, /crashed/, r.stdout)
      assert.ok(r.code === 0 || (r.code === 2 && /changed while it was read/.test(r.stdout)), r.stdout + r.stderr)
    }
    const text = (await b.exec('c2', 'cat /srv/shared.conf')).stdout
    for (const l of text.trimEnd().split('\n')) assert.match(l, /^[AB]-\d+$/, 'every line whole (each write was atomic)')
    await b.exec('c2', 'rm -f /srv/shared.conf')
    const locked = await both(['--lock', '60'])
    for (const r of locked) assert.equal(r.code, 0, r.stdout + r.stderr)
    const all = (await b.exec('c2', 'sort /srv/shared.conf')).stdout.trimEnd().split('\n')
    assert.equal(new Set(all).size, 60, `every line of both runs: ${all.length} lines`)
  })
})
