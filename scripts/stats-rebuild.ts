/** `npm run stats:rebuild`: recomputes every statistics counter exactly from the source records. */
import { rebuildCounters } from '../src/modules/counters';
import { progressBar } from './cli';
import { runScript } from './cli';

void runScript(async () => {
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const report = await rebuildCounters((stage, done, total) => {
    if (!bars.has(stage)) bars.set(stage, progressBar(stage.padEnd(18)));
    bars.get(stage)!(done, total);
  });
  console.log(
    `✓ rebuilt ${report.counters} counters and ${report.markers} markers from ${report.participations} participations and ${report.responses} responses`,
  );
});
