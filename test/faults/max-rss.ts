/**
 * `node max-rss.js ARGS`: runs the acplay CLI in this process, then prints its peak resident set
 * size (`MAXRSS_KB n`, getrusage) on stderr, for the tests that hold memory to a bound.
 */
import { main } from '../../engine/cli.js'

const code = await main(process.argv.slice(2))
process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\n`)
process.exitCode = code
