/** Docs generated from specs: docs/modules.md cannot drift, and `acplay doc NAME` shows every argument of every built-in module. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { moduleDoc } from '../../../engine/doc/model.js'
import { moduleText } from '../../../engine/doc/text.js'
import { builtinModules } from '../../../modules/index.js'
import { defineModule } from '../../../modules/types.js'
import { generatedModulesMd, MODULES_MD } from '../../../scripts/gen-module-docs.js'
import { acplay } from '../../helpers/cli.js'

describe('module documentation from the specs', () => {
  it('the committed docs/modules.md equals the generated output (run `npm run docs` after changing a spec)', () => {
    assert.equal(readFileSync(MODULES_MD, 'utf8'), generatedModulesMd())
  })

  it('`acplay doc` lists every built-in module with its summary', async () => {
    const r = await acplay(['doc'])
    assert.equal(r.code, 0, r.stderr)
    for (const m of Object.values(builtinModules)) assert.match(r.stdout, new RegExp(`^${m.name} +${escapeRegExp(m.summary)}$`, 'm'), m.name)
  })

  // one CLI process per module, as a user would ask; two at a time on a shared machine
  const names = Object.keys(builtinModules).sort()
  const pages = new Map<string, Promise<{ code: number; stdout: string; stderr: string }>>()
  const page = (n: string) => pages.get(n) ?? pages.set(n, acplay(['doc', n])).get(n)!
  for (const name of names) {
    it(`acplay doc ${name}: every argument with its type, default, choices, required, aliases; check mode; examples`, async () => {
      const spec = builtinModules[name]!
      const next = names[names.indexOf(name) + 1]
      if (next) void page(next)
      const r = await page(name)
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, moduleText(spec))
      const d = moduleDoc(spec)
      for (const p of d.params) {
        const block = r.stdout.split(/\n(?=[=-] )/).find((b) => b.startsWith(`${p.required ? '=' : '-'} ${p.name}\n`))
        assert.ok(block, `argument ${p.name} of ${name} (required: ${p.required}) is documented`)
        assert.match(block, new RegExp(`type: ${escapeRegExp(p.type)}`))
        if (p.default !== undefined) assert.match(block, new RegExp(`default: ${escapeRegExp(p.default)}`))
        for (const c of p.choices ?? []) assert.ok(block.includes(c), `choice ${c}`)
        for (const a of p.aliases ?? []) assert.ok(block.includes(a), `alias ${a}`)
      }
      assert.match(r.stdout, /^CHECK MODE: /m)
      assert.match(r.stdout, /^DIFF: /m)
      if (spec.examples) assert.match(r.stdout, /^EXAMPLES:/m)
      for (const ret of Object.keys(spec.returns ?? {})) assert.match(r.stdout, new RegExp(`^- ${escapeRegExp(ret)}$`, 'm'))
    })
  }

  it('an alias or FQCN finds the module; an unknown name fails with a suggestion (exit 4)', async () => {
    const byFqcn = await acplay(['doc', 'ansible.builtin.copy'])
    assert.match(byFqcn.stdout, /^> COPY {4}\(built-in\)/)
    const bad = await acplay(['doc', 'cpy'])
    assert.equal(bad.code, 4)
    assert.match(bad.stderr, /no module named 'cpy' \(did you mean: copy/)
  })

  it('check mode and diff are derived from checkMode', () => {
    const base = { name: 'm', summary: 's', params: {}, plan: async () => ({ kind: 'ok' as const, reason: 'r' }) }
    assert.deepEqual([moduleDoc(defineModule(base)).checkMode, moduleDoc(defineModule(base)).diff], ['full', true])
    const skip = moduleDoc(defineModule({ ...base, checkMode: 'skip' }))
    assert.deepEqual([skip.checkMode, skip.diff], ['skip', false])
  })

  it('list params show their element type; secret params say so', () => {
    const d = moduleDoc(
      defineModule({
        name: 'm',
        summary: 's',
        params: { xs: { type: 'list', elements: 'str', description: 'x', default: [] }, pw: { type: 'str', secret: true, description: 'p' } },
        plan: async () => ({ kind: 'ok', reason: 'r' }),
      }),
    )
    assert.deepEqual(
      d.params.map((p) => [p.name, p.type, p.default, p.secret]),
      [
        ['pw', 'str', undefined, true],
        ['xs', 'list of str', '[]', false],
      ],
    )
  })
})

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
