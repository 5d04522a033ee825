/** The run's vault: held while a run (sync or async) is in progress, shared by overlapping runs with the same vault, refused for a different one. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { currentVault, withVault } from '../../../engine/vault/context.js'
import { Vault } from '../../../engine/vault/vault.js'

const a = new Vault([{ id: 'default', password: Buffer.from('a'), source: 'a' }])
const b = new Vault([{ id: 'default', password: Buffer.from('b'), source: 'b' }])
const tick = () => new Promise((r) => setTimeout(r, 5))

describe('the run vault', () => {
  it('is the vault inside a synchronous call and none after it, also when the call throws', () => {
    assert.equal(
      withVault(a, () => currentVault()),
      a,
    )
    assert.equal(currentVault(), undefined)
    assert.throws(() => withVault(a, () => assert.fail('boom')), /boom/)
    assert.equal(currentVault(), undefined)
  })

  it('lasts across the awaits of an async run and is released when it settles, resolved or rejected', async () => {
    const seen = await withVault(a, async () => {
      await tick()
      return currentVault()
    })
    assert.equal(seen, a)
    assert.equal(currentVault(), undefined)
    await assert.rejects(
      withVault(a, async () => {
        await tick()
        throw new Error('late')
      }),
      /late/,
    )
    assert.equal(currentVault(), undefined)
  })

  it('overlapping runs with the same vault share it; a run with another vault meanwhile is refused, not mixed', async () => {
    const first = withVault(a, async () => {
      await tick()
      return currentVault()
    })
    const second = withVault(a, async () => currentVault())
    assert.throws(() => withVault(b, () => currentVault()), /different vaults at once/)
    assert.deepEqual(await Promise.all([first, second]), [a, a])
    assert.equal(
      withVault(b, () => currentVault()),
      b,
    )
  })
})
