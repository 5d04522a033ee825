/** Validates audit reports against schema/audit-report.schema.json with ajv (strict mode). */
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { ROOT } from './cli.js'

export const AUDIT_SCHEMA_FILE = `${ROOT}schema/audit-report.schema.json`

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

let validate: ReturnType<Ajv['compile']> | undefined

/** The schema's errors for `doc` as readable lines; [] when it is valid. */
export function auditSchemaErrors(doc: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv({ strict: true, allErrors: true })
    ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) })
    validate = ajv.compile(JSON.parse(readFileSync(AUDIT_SCHEMA_FILE, 'utf8')))
  }
  if (validate(doc)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}
