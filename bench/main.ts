/** `npm run bench`: the comparison with ansible-playbook (run.ts), `npm run bench -- fleet` (fleet.ts) or `-- engine` (engine.ts). */
if (process.argv[2] === 'fleet') await import('./fleet.js')
else if (process.argv[2] === 'engine') await import('./engine.js')
else await import('./run.js')
