/** `npm run db:provision`: builds the embedded FerretDB into the git-ignored cache (once). */
import { config } from '../src/config';
import { provisionFerretDB, which } from '../src/core/db/provision';

async function main(): Promise<void> {
  if (config().MONGODB_URI) return console.log('MONGODB_URI is set: nothing to provision.');
  if (which('mongod')) return console.log('mongod is on PATH: it will be used as the embedded server.');
  const bin = await provisionFerretDB(config().rootDir, (l) => console.log(l));
  console.log(`ready: ${bin}`);
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
