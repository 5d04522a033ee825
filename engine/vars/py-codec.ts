/** Python codec names (`utf-8`, `latin_1`, `utf-8-sig`, `cp1252`...) for the filters and lookups that take an `encoding`. */

/** The Buffer encoding of a Python codec Node has itself, or undefined. */
export function bufferEncoding(encoding: string): BufferEncoding | undefined {
  const e = encoding.toLowerCase().replace(/_/g, '-')
  if (e === 'utf-8' || e === 'utf8') return 'utf8'
  if (e === 'utf-16-le' || e === 'utf-16le' || e === 'utf-16') return 'utf16le'
  if (e === 'latin-1' || e === 'latin1' || e === 'iso-8859-1' || e === 'iso8859-1') return 'latin1'
  if (e === 'ascii') return 'ascii'
  return undefined
}

/** Bytes as text in a Python codec; other codecs through TextDecoder's labels. Throws `unknown encoding: X`. */
export function pyDecode(b: Buffer, encoding: string): string {
  const known = bufferEncoding(encoding)
  if (known) return b.toString(known)
  if (/^utf[-_]?8[-_]sig$/i.test(encoding)) return b.toString('utf8').replace(/^\uFEFF/, '')
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding, { ignoreBOM: true })
  } catch {
    throw new Error(`unknown encoding: ${encoding}`)
  }
  return decoder.decode(b)
}
