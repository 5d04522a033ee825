/**
 * The example nginx_site module on a real host, loaded two ways: from library/ beside the playbook
 * and from a local npm package listed in acplay.config.json. Check, apply, re-plan ok, drift repaired.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { acplay, expectedRecap, recapLine, ROOT } from '../helpers/cli.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const EXAMPLE = pathToFileURL(join(ROOT, 'dist/examples/custom-module/src/nginx-site.js')).href
const H = 'lib1'

describe('custom module nginx_site on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  let dir: string
  let inventory: string
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
    return join(dir, rel)
  }
  const site = (root: string, state = 'enabled') => `- hosts: all
  become: true
  tasks:
    - name: site
      nginx_site:
        name: airflow
        root: ${root}
        state: ${state}
        content: "server { listen 80; }"
`
  const sh = async (script: string) => (await bed().exec(H, script)).stdout.trim()

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-libbed-'))
    inventory = bed().inventory({ user: 'deploy' })
    // a library/ module file: here a re-export of the compiled example (any .js/.mjs file works)
    write('from-library/library/nginx_site.js', `export { default } from '${EXAMPLE}'\n`)
    write('from-library/site.yml', site('/srv/nginx-a'))
    // a package installed in node_modules, named in acplay.config.json
    write('from-package/node_modules/acplay-nginx-site/package.json', JSON.stringify({ name: 'acplay-nginx-site', type: 'module', exports: './index.js' }))
    write('from-package/node_modules/acplay-nginx-site/index.js', `export { default as nginxSite } from '${EXAMPLE}'\n`)
    write('from-package/acplay.config.json', JSON.stringify({ library: ['acplay-nginx-site'] }))
    write('from-package/site.yml', site('/srv/nginx-b'))
    write('from-package/disable.yml', site('/srv/nginx-b', 'disabled'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [label, sub, root] of [
    ['from library/', 'from-library', '/srv/nginx-a'],
    ['from a package in acplay.config.json', 'from-package', '/srv/nginx-b'],
  ] as const) {
    it(`${label}: check changes nothing, apply, re-plan ok, check ok`, async () => {
      const pb = join(dir, sub, 'site.yml')
      const check = await acplay(['run', pb, '-i', inventory, '--check'])
      assert.equal(recapLine(check.stdout, H), expectedRecap(H, { ok: 2, changed: 1 }), check.stdout + check.stderr)
      assert.equal(await sh(`test -e ${root} && echo exists || echo absent`), 'absent', 'check mode must not touch the host')
      const first = await acplay(['run', pb, '-i', inventory])
      assert.equal(recapLine(first.stdout, H), expectedRecap(H, { ok: 2, changed: 1 }), first.stdout + first.stderr)
      assert.equal(
        await sh(`readlink ${root}/sites-enabled/airflow; cat ${root}/sites-available/airflow; stat -c %a ${root}/sites-available/airflow`),
        `${root}/sites-available/airflow\nserver { listen 80; }\n644`,
      )
      const again = await acplay(['run', pb, '-i', inventory, '-v'])
      assert.equal(recapLine(again.stdout, H), expectedRecap(H, { ok: 2 }), again.stdout)
      const checkAgain = await acplay(['run', pb, '-i', inventory, '--check'])
      assert.equal(recapLine(checkAgain.stdout, H), expectedRecap(H, { ok: 2 }))
    })
  }

  it('drift is repaired with a diff; disabling removes only the link', async () => {
    await sh(`echo 'server { listen 81; }' > /srv/nginx-b/sites-available/airflow`)
    const fix = await acplay(['run', join(dir, 'from-package/site.yml'), '-i', inventory, '--diff'])
    assert.equal(recapLine(fix.stdout, H), expectedRecap(H, { ok: 2, changed: 1 }), fix.stdout + fix.stderr)
    assert.match(fix.stdout, /^ *-server \{ listen 81; \}\n *\+server \{ listen 80; \}$/m)
    const off = await acplay(['run', join(dir, 'from-package/disable.yml'), '-i', inventory])
    assert.equal(recapLine(off.stdout, H), expectedRecap(H, { ok: 2, changed: 1 }), off.stdout + off.stderr)
    assert.equal(
      await sh('test -L /srv/nginx-b/sites-enabled/airflow && echo linked || echo unlinked; cat /srv/nginx-b/sites-available/airflow'),
      'unlinked\nserver { listen 80; }',
    )
  })
})
