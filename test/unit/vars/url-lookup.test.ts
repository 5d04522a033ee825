/** The url lookup's own rules (engine/vars/lookups/url.ts) that the differential test cannot show: a password in the URL never reaches a message. */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import type { LookupEnv } from '../../../engine/vars/lookups/types.js'
import { url } from '../../../engine/vars/lookups/url.js'

describe('url lookup', () => {
  it('masks a password given in the URL in its failure (Ansible prints it)', async () => {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise((r) => probe.close(r))
    assert.throws(
      () => url([`http://ops:s3cret-pass@127.0.0.1:${port}/x`], {}, {} as LookupEnv),
      (e: Error) => {
        assert.equal(e.message, `Failed lookup url for http://ops:********@127.0.0.1:${port}/x : <urlopen error [Errno 111] Connection refused>`)
        return true
      },
    )
    assert.throws(() => url(['not a url'], {}, {} as LookupEnv), /Failed lookup url for not a url : <urlopen error unknown url type/)
  })
})
