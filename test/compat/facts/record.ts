/**
 * Records Ansible's setup output and acplay's probe output from one fresh testbed host, into this
 * directory: ansible-setup.json and probe-raw.json (the unit test parses the one and compares it
 * with the other). Run as root: `npm run build && node dist/test/compat/facts/record.js`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Testbed } from '../../testbed/testbed.js'
import { ansibleSetup, prepareFactsHost, probeRaw } from './live.js'

const HERE = fileURLToPath(new URL('../../../../test/compat/facts/', import.meta.url))

const bed = await Testbed.up({ hosts: ['facts'] })
try {
  await prepareFactsHost(bed, 'facts')
  const ansible = await ansibleSetup(bed, 'facts')
  const raw = JSON.parse(await probeRaw(bed, 'facts'))
  writeFileSync(join(HERE, 'ansible-setup.json'), `${JSON.stringify(ansible, null, 1)}\n`)
  writeFileSync(join(HERE, 'probe-raw.json'), `${JSON.stringify(raw, null, 1)}\n`)
  console.log(`recorded ${Object.keys(ansible).length} Ansible facts and the probe's output into ${HERE}`)
} finally {
  await bed.down()
}
