/**
 * A read-only layer over the image for light hosts (`Testbed.up({ light: true, layers })`): what a
 * shell script leaves when run as root in a throw-away overlay over the image (its upper dir),
 * built once and cached under the image cache by a hash of the image and the script. The build
 * runs in a mount namespace of its own, so its mounts go with it whatever happens.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { buildCached, ensureImage, IMAGE_CACHE } from './image.js'
import { run } from './sh.js'

// $1 image, $2 upper, $3 work, $4 merged, $5 the recipe (a shell script run in the chroot)
const BUILD = `set -e
mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"
mount -t proc proc "$4/proc"
chroot "$4" /bin/sh -euc "$5"
umount "$4/proc"`

export async function ensureLayer(name: string, recipe: string, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<string> {
  const image = await ensureImage(log)
  const key = createHash('sha256').update(basename(image.dir)).update('\0').update(recipe).digest('hex').slice(0, 16)
  const built = await buildCached(join(IMAGE_CACHE, 'layers', `${name}-${key}`), `layer ${name}`, log, async (tmp) => {
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(tmp, d), { recursive: true })
    const r = await run([
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      BUILD,
      'sh',
      image.dir,
      ...['upper', 'work', 'merged'].map((d) => join(tmp, d)),
      recipe,
    ])
    if (r.rc !== 0) throw new Error(`testbed: building layer ${name} failed (rc ${r.rc}):\n${r.stderr.slice(-4000)}`)
  })
  return join(built.dir, 'upper')
}
