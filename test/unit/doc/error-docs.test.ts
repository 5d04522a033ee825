/** docs/errors.md is generated from the one list of error codes (engine/errors.ts) and cannot drift from it. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { AcplayError, ERROR_CODES } from '../../../engine/errors.js'
import { ERRORS_MD, generatedErrorsMd } from '../../../scripts/gen-error-docs.js'
import { acplay } from '../../helpers/cli.js'

describe('error codes', () => {
  it('the committed docs/errors.md equals the generated output (run `npm run docs` after changing ERROR_CODES)', () => {
    assert.equal(readFileSync(ERRORS_MD, 'utf8'), generatedErrorsMd())
    for (const code of Object.keys(ERROR_CODES)) assert.match(generatedErrorsMd(), new RegExp(`^\\| \`${code}\` \\|`, 'm'))
  })

  it('an error knows its exit code and whether it makes the host unreachable', () => {
    assert.deepEqual(
      [new AcplayError('E_PLAYBOOK', 'x').exitCode, new AcplayError('E_OPTION', 'x').exitCode, new AcplayError('E_TEMPLATE', 'x').exitCode],
      [4, 5, 1],
    )
    assert.deepEqual(
      [new AcplayError('E_HOSTKEY', 'x').unreachable, new AcplayError('E_UNREACHABLE', 'x').unreachable, new AcplayError('E_BECOME', 'x').unreachable],
      [true, true, false],
    )
  })

  it('the CLI exits with the code the table gives', async () => {
    const r = await acplay(['run', '/nonexistent/site.yml', '-i', 'localhost,'])
    assert.match(r.stderr, /^ERROR! E_PLAYBOOK: /m)
    assert.equal(r.code, ERROR_CODES.E_PLAYBOOK.exit)
  })
})
