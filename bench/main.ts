/** `npm run bench`: the comparison with ansible-playbook (run.ts), or `npm run bench -- fleet` (fleet.ts). */
if (process.argv[2] === 'fleet') await import('./fleet.js')
else await import('./run.js')
