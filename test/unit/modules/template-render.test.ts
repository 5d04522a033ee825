/**
 * The template module's rendering: other templates it includes, imports or extends are found on the
 * search path (the role's templates/ first, the template's own dir last), Ansible's whitespace
 * defaults and options, ansible_managed and template_* (Ansible's generate_ansible_template_vars).
 * Byte-for-byte agreement with ansible-playbook is test/e2e/role-layout-ansible.test.ts.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import type { AcplayError } from '../../../engine/errors.js'
import { render } from '../../../engine/vars/template.js'
import { templateFileVars } from '../../../engine/vars/template-vars.js'
import { template } from '../../../modules/template.js'
import type { RenderFileOptions } from '../../../modules/types.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

describe('template rendering: loader, whitespace, ansible_managed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-tpl-render-'))
  const saved = process.env.ANSIBLE_CONFIG
  after(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_CONFIG
    else process.env.ANSIBLE_CONFIG = saved
  })
  const roleT = join(dir, 'roles/r/templates')
  const playT = join(dir, 'templates')
  mkdirSync(roleT, { recursive: true })
  mkdirSync(playT, { recursive: true })
  writeFileSync(
    join(roleT, 'main.j2'),
    "{% import 'macros.j2' as m %}\n{% for x in xs %}\n  {% if x %}\n{{ m.kv('k', x) }}\n  {% endif %}\n{% endfor %}\n{% include 'part.j2' %}\n",
  )
  writeFileSync(join(roleT, 'macros.j2'), '{% macro kv(a, b) -%}\n{{ a }}={{ b }}\n{%- endmacro %}\n')
  writeFileSync(join(playT, 'part.j2'), 'part from the play templates/\n')
  writeFileSync(join(roleT, 'part.j2'), 'part from the role templates/\n')
  writeFileSync(join(playT, 'child.j2'), "{% extends 'base.j2' %}{% block b %}child {{ super() }}{% endblock %}\n")
  writeFileSync(join(playT, 'base.j2'), '[{% block b %}base{% endblock %}]\n')
  writeFileSync(join(playT, 'bad.j2'), "{% include 'missing.j2' %}\n")
  const paths = ['/etc/out', '/etc', '/etc/out/x']
  const stats = statsOutput('root', 'root', ['absent', { stat: 'directory|755|root|root|0|0|4096|2|2049' }, 'absent'])
  const vars = { xs: ['a', '', 'b'], playbook_dir: dir }
  async function rendered(src: string, extra: Record<string, unknown> = {}): Promise<string> {
    const c = fakeCtx({ [JSON.stringify(['path.stats', paths.map((p) => (p.endsWith('/x') ? `/etc/out/${src.split('/').pop()}` : p))])]: stats })
    const ctx = {
      ...c,
      vars,
      findFile: (p: string) => (p.startsWith('/') ? p : join(p.startsWith('child') || p.startsWith('bad') ? playT : roleT, p)),
      searchPaths: () => [roleT, join(dir, 'roles/r'), playT, dir],
      render: (t: string, o?: RenderFileOptions) => render(t, { ...vars, ...o?.vars }, undefined, o),
    }
    const plan = await template.plan(
      { src, dest: '/etc/out', backup: false, force: true, secret: false, trim_blocks: true, lstrip_blocks: false, ...extra } as never,
      ctx,
    )
    assert.equal(plan.kind, 'change')
    return plan.kind === 'change' ? plan.changes[0]!.upload!.content!.toString() : ''
  }

  // the expected bytes are what ansible-playbook's template module wrote for the same files and options
  it('import and include from the search path (the role first); trim_blocks on by default, lstrip_blocks off', async () => {
    assert.equal(await rendered('main.j2'), '  k=a\n      k=b\n  part from the role templates/\n')
  })
  it('trim_blocks: false keeps the newline after each tag; lstrip_blocks: true strips the indent before one', async () => {
    assert.equal(await rendered('main.j2', { trim_blocks: false, lstrip_blocks: true }), '\n\n\nk=a\n\n\n\n\n\nk=b\n\n\npart from the role templates/\n')
  })
  it('extends a template in the play templates/ with super()', async () => {
    assert.equal(await rendered('child.j2'), '[child base]\n')
  })
  it('an include that is nowhere: a template error naming it', async () => {
    await assert.rejects(rendered('bad.j2'), (e: AcplayError) => /missing\.j2/.test(e.message))
  })

  it('ansible_managed: the default, or ansible.cfg with {file} {host} {uid} and strftime of the template mtime', () => {
    const f = join(playT, 'base.j2')
    utimesSync(f, new Date('2024-03-05T12:00:00Z'), new Date('2024-03-05T12:00:00Z'))
    process.env.ANSIBLE_CONFIG = join(dir, 'none.cfg')
    const v = templateFileVars('base.j2', f, '/etc/out', dir)
    assert.equal(v.ansible_managed, 'Ansible managed')
    assert.deepEqual([v.template_path, v.template_fullpath, v.template_destpath, v.template_host], ['base.j2', f, '/etc/out', hostname()])
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nansible_managed = {file} on {host} by {uid} {{literal}} %Y-%m ; comment\n')
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg')
    const uid = String(templateFileVars('base.j2', f, undefined, dir).template_uid)
    assert.equal(templateFileVars('base.j2', f, undefined, dir).ansible_managed, `base.j2 on ${hostname()} by ${uid} {literal} 2024-03`)
    // a plain task does not see it: it is set only while a template file renders
    assert.equal(render('{{ ansible_managed | default("undefined") }}', {}), 'undefined')
  })
})
