/** Known secret values of a run; every reporter passes text through `mask` before printing. */
export const MASK = '********'

export class Masker {
  private values = new Set<string>()

  /** Registers a secret and the encodings it may appear in (percent-encoded in a DSN, base64). */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return
    const s = String(value)
    if (s.length < 3) return
    this.values.add(s)
    this.values.add(encodeURIComponent(s))
    this.values.add(encodeUserInfo(s))
  }

  mask(text: string): string {
    let out = text
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK)
    return out
  }

  /** Deep copy of a JSON-able value with every string masked. */
  maskDeep<T>(value: T): T {
    if (typeof value === 'string') return this.mask(value) as T
    if (Array.isArray(value)) return value.map((v) => this.maskDeep(v)) as T
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T
    }
    return value
  }
}

/** Percent-encodes every character outside RFC 3986 "unreserved" (for the user-info part of a URL). */
export function encodeUserInfo(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('')
}
