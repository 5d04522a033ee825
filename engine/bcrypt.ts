/**
 * bcrypt ($2b$, and $2a$/$2y$ written as asked), as passlib makes it for Ansible's
 * password_hash('bcrypt' | 'blowfish'): Provos and Mazieres' eksblowfish over the password's first
 * 72 bytes (with its NUL), 2^rounds expansions, "OrpheanBeholderScryDoubt" enciphered 64 times.
 * Blowfish's initial state is the fractional part of pi (1042 32-bit words), computed once here
 * rather than carried as a table.
 */

const B64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** bcrypt's base64 (its own alphabet, no padding): bytes to characters, big-endian bits. */
function encode64(bytes: Uint8Array, chars: number): string {
  let out = ''
  let bits = 0
  let acc = 0
  for (const b of bytes) {
    acc = (acc << 8) | b
    bits += 8
    while (bits >= 6) {
      bits -= 6
      out += B64[(acc >> bits) & 0x3f]
    }
    acc &= (1 << bits) - 1
  }
  if (bits > 0) out += B64[(acc << (6 - bits)) & 0x3f]
  return out.slice(0, chars)
}

function decode64(text: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes)
  let acc = 0
  let bits = 0
  let n = 0
  for (const c of text) {
    acc = (acc << 6) | B64.indexOf(c)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      if (n < bytes) out[n++] = (acc >> bits) & 0xff
    }
    acc &= (1 << bits) - 1
  }
  return out
}

/** A salt as passlib keeps it (bcrypt64.repair_unused): the 22nd character's 4 unused bits cleared. */
export const repairSalt = (salt: string): string => salt.slice(0, 21) + B64[B64.indexOf(salt[21]!) & 0x30]

let initial: Uint32Array | undefined

/** The first 1042 words of pi's fractional part (Machin's formula in fixed point): P (18) then S (4 x 256). */
function piWords(): Uint32Array {
  if (initial) return initial
  const words = 18 + 4 * 256
  const bits = BigInt(words * 32 + 64)
  const one = 1n << bits
  const atanInv = (x: bigint) => {
    let sum = 0n
    let term = one / x
    const x2 = x * x
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += (k & 2n ? -term : term) / k
      term /= x2
    }
    return sum
  }
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n)
  let frac = (pi - 3n * one) >> 64n
  initial = new Uint32Array(words)
  for (let i = words - 1; i >= 0; i--) {
    initial[i] = Number(frac & 0xffffffffn)
    frac >>= 32n
  }
  return initial
}

class Blowfish {
  readonly p: Uint32Array
  readonly s: Uint32Array
  constructor() {
    const w = piWords()
    this.p = w.slice(0, 18)
    this.s = w.slice(18)
  }

  private f(x: number): number {
    const s = this.s
    return (((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) ^ s[512 + ((x >>> 8) & 0xff)]!) + s[768 + (x & 0xff)]!) >>> 0
  }

  encipher(lr: Uint32Array, at: number): void {
    let l = lr[at]!
    let r = lr[at + 1]!
    const p = this.p
    l ^= p[0]!
    for (let i = 1; i <= 16; i += 2) {
      r ^= this.f(l) ^ p[i]!
      l ^= this.f(r) ^ p[i + 1]!
    }
    lr[at] = (r ^ p[17]!) >>> 0
    lr[at + 1] = l >>> 0
  }

  /** The key schedule: P xored with the key, then P and S refilled by enciphering (data xored in when given). */
  expand(key: Uint8Array, data?: Uint8Array): void {
    let kj = 0
    const word = (bytes: Uint8Array, at: () => number) => {
      let w = 0
      for (let i = 0; i < 4; i++) w = ((w << 8) | bytes[at()]!) >>> 0
      return w
    }
    const fromKey = () => {
      const j = kj
      kj = (kj + 1) % key.length
      return j
    }
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ word(key, fromKey)) >>> 0
    let dj = 0
    const fromData = () => {
      const j = dj
      dj = (dj + 1) % data!.length
      return j
    }
    const lr = new Uint32Array(2)
    const fill = (box: Uint32Array) => {
      for (let i = 0; i < box.length; i += 2) {
        if (data) {
          lr[0] = (lr[0]! ^ word(data, fromData)) >>> 0
          lr[1] = (lr[1]! ^ word(data, fromData)) >>> 0
        }
        this.encipher(lr, 0)
        box[i] = lr[0]!
        box[i + 1] = lr[1]!
      }
    }
    fill(this.p)
    fill(this.s)
  }
}

/** `$2b$NN$` + the salt (22 characters of bcrypt's alphabet, repaired) + the 31-character digest. */
export function bcrypt(password: string, salt: string, rounds: number, ident = '2b'): string {
  const pw = Buffer.from(password, 'utf8')
  // the password and its NUL, of which the schedule reads 72 bytes (cycling over a shorter key)
  const key = Buffer.concat([pw, Buffer.from([0])]).subarray(0, 72)
  const fixed = repairSalt(salt)
  const saltBytes = decode64(fixed, 16)
  const bf = new Blowfish()
  bf.expand(key, saltBytes)
  for (let i = 0; i < 2 ** rounds; i++) {
    bf.expand(key)
    bf.expand(saltBytes)
  }
  const text = Buffer.from('OrpheanBeholderScryDoubt')
  const cdata = new Uint32Array(6)
  for (let i = 0; i < 6; i++) cdata[i] = text.readUInt32BE(i * 4)
  for (let i = 0; i < 64; i++) for (let j = 0; j < 6; j += 2) bf.encipher(cdata, j)
  const out = Buffer.alloc(24)
  for (let i = 0; i < 6; i++) out.writeUInt32BE(cdata[i]!, i * 4)
  return `$${ident}$${String(rounds).padStart(2, '0')}$${fixed}${encode64(out.subarray(0, 23), 31)}`
}
