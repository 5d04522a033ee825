/**
 * Python's random.Random (MT19937 with Python's seeding), so `59 | random(seed=inventory_hostname)`
 * and `list | shuffle(seed=...)` give exactly what Ansible gives for the same seed.
 */
import { createHash, randomInt } from 'node:crypto'

const N = 624
const M = 397
// Every mt[...] index below stays within the fixed N-word state (and key[j] within the non-empty key),
// so the non-null assertions on reads are exact.

export class PyRandom {
  private mt = new Uint32Array(N)
  private i = N + 1

  constructor(seed: unknown) {
    this.seed(seed)
  }

  private initGenrand(s: number): void {
    const mt = this.mt
    mt[0] = s >>> 0
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30)
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
    }
    this.i = N
  }

  private initByArray(key: number[]): void {
    const mt = this.mt
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30)
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]!
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30)
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]!
        i = 1
      }
    }
    mt[0] = 0x80000000
  }

  /** random.seed(a) with version 2: str/bytes seeds go through sha512, ints by absolute value. */
  private seed(a: unknown): void {
    let n: bigint
    if (typeof a === 'string') {
      const bytes = Buffer.from(a, 'utf8')
      const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
      n = BigInt(`0x${all.toString('hex')}`)
    } else if (typeof a === 'number' && Number.isInteger(a)) n = BigInt(Math.abs(a))
    else if (typeof a === 'boolean') n = a ? 1n : 0n
    else n = BigInt(String(Date.now()))
    const key: number[] = []
    while (n > 0n) {
      key.push(Number(n & 0xffffffffn))
      n >>= 32n
    }
    this.initByArray(key.length ? key : [0])
  }

  private genrand(): number {
    const mt = this.mt
    if (this.i >= N) {
      let kk = 0
      let y: number
      for (; kk < N - M; kk++) {
        y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff)
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff)
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff)
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      this.i = 0
    }
    let y = mt[this.i++]!
    y ^= y >>> 11
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0
    y ^= y >>> 18
    return y >>> 0
  }

  private getrandbits(k: number): bigint {
    if (k <= 32) return BigInt(this.genrand() >>> (32 - k))
    let r = 0n
    for (let shift = 0n; k > 0; k -= 32, shift += 32n) {
      let w = this.genrand()
      if (k < 32) w >>>= 32 - k
      r |= BigInt(w) << shift
    }
    return r
  }

  /** A number in [0, n), by rejection sampling as Python 3.11's _randbelow does. */
  randbelow(n: number): number {
    const big = BigInt(n)
    const k = big.toString(2).length
    let r = this.getrandbits(k)
    while (r >= big) r = this.getrandbits(k)
    return Number(r)
  }

  randrange(start: number, stop: number, step: number): number {
    const width = stop - start
    if (step === 1) {
      if (width > 0) return start + this.randbelow(width)
      throw new Error(`empty range for randrange() (${start}, ${stop}, ${width})`)
    }
    if (step === 0) throw new Error('zero step for randrange()')
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step)
    if (n <= 0) throw new Error('empty range for randrange()')
    return start + step * this.randbelow(n)
  }

  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1)
      ;[x[i], x[j]] = [x[j]!, x[i]!] // 0 <= j <= i < x.length
    }
  }
}

/** Unseeded randomness (Python's SystemRandom) for the same API. */
export const systemRandom = {
  randbelow: (n: number) => randomInt(n),
  randrange(start: number, stop: number, step: number): number {
    const n = step > 0 ? Math.floor((stop - start + step - 1) / step) : Math.floor((stop - start + step + 1) / step)
    if (step === 0 || n <= 0) throw new Error('empty range for randrange()')
    return start + step * randomInt(n)
  },
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = randomInt(i + 1)
      ;[x[i], x[j]] = [x[j]!, x[i]!] // 0 <= j <= i < x.length
    }
  },
}
