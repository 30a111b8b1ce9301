/**
 * Prints the top self-time functions of a CPU profile, and the same time per package or file.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/server.js   # or: npm run bench -- --profile
 *   npx tsx bench/profile-top.ts /tmp/prof/CPU.*.cpuprofile [limit]
 */
import { topFunctions } from './lib/profile';

const [file, limit] = process.argv.slice(2);
if (!file) {
  process.stderr.write('Usage: npx tsx bench/profile-top.ts <file.cpuprofile> [limit, default 30]\n');
  process.exit(2);
}
process.stdout.write(`${topFunctions(file, Number(limit) || 30).text}\n`);
