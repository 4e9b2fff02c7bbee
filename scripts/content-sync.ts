/** `npm run content:sync`: validates content/*.yaml and upserts it (start-up does the same). */
import { syncContent } from '../src/bootstrap';
import { runScript } from './cli';

void runScript(async () => {
  for (const line of await syncContent()) console.log(`✓ ${line}`);
});
