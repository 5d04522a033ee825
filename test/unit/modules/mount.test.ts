import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { linuxMounts, mountPoint } from '../../../modules/facts/mount.js'
import { escapeFstab, setMount, unsetMount } from '../../../modules/mount/fstab.js'
import { mount } from '../../../modules/mount.js'
import { fakeCtx } from './fake-ctx.js'

const entry = { name: '/mnt/x', src: 'tmpfs', fstype: 'tmpfs', opts: 'defaults', dump: '0', passno: '0' }

describe('fstab editing (Ansible semantics)', () => {
  it('escapes space, & and backslash', () => {
    assert.equal(escapeFstab('/a b&c\\d'), '/a\\040b\\046c\\134d')
  })
  it('adds, keeps, updates (the final newline added to a changed file)', () => {
    const added = setMount('# c\nproc /proc proc defaults', entry)
    assert.deepEqual(added, { text: '# c\nproc /proc proc defaults\ntmpfs /mnt/x tmpfs defaults 0 0\n', changed: true })
    assert.deepEqual(setMount('tmpfs  /mnt/x  tmpfs defaults\n', entry), { text: 'tmpfs  /mnt/x  tmpfs defaults\n', changed: false })
    assert.deepEqual(setMount('tmpfs /mnt/x tmpfs ro 0 0\n', entry).text, 'tmpfs /mnt/x tmpfs defaults 0 0\n')
    assert.equal(setMount('', { ...entry, name: '/mnt/a b' }).text, 'tmpfs /mnt/a\\040b tmpfs defaults 0 0\n')
  })
  it('removes every 6-field entry of the mount point; swap entries only with their source', () => {
    const text = 'tmpfs /mnt/x tmpfs defaults 0 0\n/dev/a none swap sw 0 0\n/dev/b none swap sw 0 0\ntmpfs /mnt/x tmpfs defaults\n'
    assert.deepEqual(unsetMount(text, '/mnt/x'), { text: '/dev/a none swap sw 0 0\n/dev/b none swap sw 0 0\ntmpfs /mnt/x tmpfs defaults\n', changed: true })
    assert.equal(unsetMount(text, 'none', '/dev/b').text, 'tmpfs /mnt/x tmpfs defaults 0 0\n/dev/a none swap sw 0 0\ntmpfs /mnt/x tmpfs defaults\n')
    assert.equal(unsetMount(text, '/mnt/y').changed, false)
  })
})

const MOUNTINFO = `100 1 0:50 / / rw - overlay overlay rw
110 100 0:51 / /srv/scratch rw,relatime - tmpfs tmpfs rw,size=8192k
120 100 0:50 /data/www /srv/www rw,relatime - overlay overlay rw
130 110 0:51 /sub /mnt/a\\040b rw - tmpfs tmpfs rw
`

describe('the mount table as Ansible reads it', () => {
  it('resolves bind mounts to the directory they show', () => {
    const m = linuxMounts(MOUNTINFO)
    assert.equal(m.get('/srv/www')!.src, '/data/www')
    assert.equal(m.get('/mnt/a b')!.src, '/srv/scratch/sub')
    assert.deepEqual(m.get('/')!, { src: 'overlay', fstype: 'overlay', opts: 'rw', rawSrc: 'overlay' })
  })
  it('a mount point: device or inode unlike its parent; an absent one with its nearest ancestor', () => {
    const read = (tail: string, path: string) => mountPoint.parse({ rc: 0, stdout: `${MOUNTINFO}@@\n${tail}\n`, stderr: '' }, path)
    assert.equal(read('51 1\n50 7', '/srv/scratch').isMount, true)
    assert.deepEqual(read('51 1\n50 7', '/srv/scratch').sources, ['tmpfs'])
    assert.equal(read('50 9\n50 7', '/srv/x').isMount, false)
    assert.deepEqual(read('absent /srv', '/srv/new/dir'), {
      exists: false,
      link: false,
      isMount: false,
      mounted: undefined,
      sources: [],
      existingAncestor: '/srv',
    })
  })
})

describe('mount points read ahead together', () => {
  it('one mount table for several paths', () => {
    const reads: [string][] = [['/srv/scratch'], ['/srv/new']]
    assert.deepEqual(mountPoint.batch!.command(reads).argv.slice(-2), ['/srv/scratch', '/srv/new'])
    const [a, b] = mountPoint.batch!.parse({ rc: 0, stdout: `${MOUNTINFO}@@\n51 1\n50 7\n@@\nabsent /srv\n`, stderr: '' }, reads)
    assert.equal(a!.isMount, true)
    assert.equal(b!.existingAncestor, '/srv')
    assert.throws(() => mountPoint.batch!.parse({ rc: 0, stdout: `${MOUNTINFO}@@\n51 1\n50 7\n`, stderr: '' }, reads), /cannot read the mounts/)
  })
})

describe('mount paths', () => {
  const params = { src: '/swapfile', fstype: 'swap', dump: '0', passno: '0', state: 'present', boot: true, backup: false }
  it("a relative mount point is taken as written (a swap entry's none), one beginning with '-' is refused before the host is asked", async () => {
    const ctx = fakeCtx({})
    await assert.rejects(async () => mount.plan({ ...params, path: '-o' } as never, ctx), /path must not be empty or begin with '-', got "-o"/)
    await assert.rejects(async () => mount.plan({ ...params, path: 'none' } as never, ctx), /no recorded output/, 'none reaches the host')
    assert.equal(ctx.reads.length, 2)
  })
})
