/** Names every template can use that are not variables: Jinja's globals and Ansible's (lookup, query, now, undef, omit). */
import { arg } from './filter-types.js'
import { now } from './filters-time.js'
import { Builtin, Cycler, type Frame, iterate, Namespace, PyCallable } from './jinja/runtime.js'
import { isMapping, MAX_RANGE, num, pystr, pyType, rangeLength, truthy } from './py.js'
import { callLookup } from './lookups/index.js'
import { templateError, Undef } from './undefined.js'

/** The value `default(omit)` yields; templateValue drops mapping keys that hold it (as Ansible drops module args). */
export const OMIT = '__omit_place_holder__acplay__'

function range(args: unknown[]): number[] {
  const ints = args.map((a) => {
    const n = num(a)
    if (n === undefined || !Number.isInteger(n)) throw templateError(`'${pyType(a)}' object cannot be interpreted as an integer`)
    return n
  })
  const [first = 0, second, third = 1] = ints
  const [start, stop, step] = second === undefined ? [0, first, 1] : [first, second, third]
  if (step === 0) throw templateError('range() arg 3 must not be zero')
  const size = rangeLength(start, stop, step)
  if (size > MAX_RANGE) throw templateError(`range() of ${size} items is more than acplay builds (${MAX_RANGE})`)
  const out: number[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
  return out
}

function dict(args: unknown[], kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (args.length > 1) throw templateError(`dict expected at most 1 argument, got ${args.length}`)
  if (args.length) {
    const src = args[0]
    if (isMapping(src)) Object.assign(out, src)
    else
      for (const pair of iterate(src)) {
        const kv = iterate(pair)
        if (kv.length !== 2) throw templateError(`dictionary update sequence element has length ${kv.length}; 2 is required`)
        out[pystr(kv[0])] = kv[1]
      }
  }
  return Object.assign(out, kw)
}

class FrameBuiltin extends PyCallable {
  readonly pyType = 'builtin_function_or_method'
  constructor(
    readonly name: string,
    private readonly fn: (f: Frame | undefined, args: unknown[], kw: Record<string, unknown>) => unknown,
  ) {
    super()
  }
  call(args: unknown[], kw: Record<string, unknown>, f?: Frame): unknown {
    return this.fn(f, args, kw)
  }
}

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat'.split(
    ' ',
  )

function lipsum(args: unknown[], kw: Record<string, unknown>): string {
  const n = Number(arg(args, kw, 0, 'n', 5))
  const html = truthy(arg(args, kw, 1, 'html', true))
  const min = Number(arg(args, kw, 2, 'min', 20))
  const max = Number(arg(args, kw, 3, 'max', 100))
  const paras = Array.from({ length: n }, () => {
    const len = min + Math.floor(Math.random() * (max - min + 1))
    const words = Array.from({ length: len }, (_x, i) => LOREM[i % LOREM.length])
    const text = `${words.join(' ')}.`
    return text.charAt(0).toUpperCase() + text.slice(1)
  })
  return html ? paras.map((p) => `<p>${p}</p>`).join('\n') : paras.join('\n\n')
}

export const globals: Record<string, unknown> = {
  range: new Builtin('range', (args) => range(args)),
  dict: new Builtin('dict', dict),
  lipsum: new Builtin('lipsum', lipsum),
  cycler: new Builtin('cycler', (args) => new Cycler(args)),
  joiner: new Builtin('joiner', (args, kw) => {
    const sep = pystr(arg(args, kw, 0, 'sep', ', '))
    let used = false
    return new Builtin('joiner', () => {
      if (used) return sep
      used = true
      return ''
    })
  }),
  namespace: new Builtin('namespace', (args, kw) => new Namespace(dict(args, kw))),
  lookup: new FrameBuiltin('lookup', (f, args, kw) => callLookup(args, kw, f, false)),
  query: new FrameBuiltin('query', (f, args, kw) => callLookup(args, kw, f, true)),
  q: new FrameBuiltin('q', (f, args, kw) => callLookup(args, kw, f, true)),
  now: new Builtin('now', now),
  undef: new Builtin('undef', (args, kw) => new Undef('undef', pystr(arg(args, kw, 0, 'hint', 'Mandatory variable has not been overridden')))),
  omit: OMIT,
}
