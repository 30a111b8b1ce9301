/**
 * The load generator: its own process, driven by `bench/run.ts` over IPC. Each command runs
 * one phase (time to first token, paced load, idle streams, requests/s) and replies with its
 * report. It exits when the harness goes away.
 *
 * Commands: `{id, phase: 'ttft' | 'load' | 'idle-open' | 'idle-release' | 'rps', ports, options}`
 * → `{id, ok: true, report}` or `{id, ok: false, error}`.
 */
import { openIdle, releaseIdle, type IdleOptions } from './lib/idle-streams';
import { measureTtft, runLoad, type LoadOptions, type Ports, type TtftOptions } from './lib/load-phases';
import { measureRps, type RpsOptions } from './lib/rps';

type Command = { id: number; ports: Ports } & (
  | { phase: 'ttft'; options: TtftOptions }
  | { phase: 'load'; options: LoadOptions }
  | { phase: 'idle-open'; options: IdleOptions }
  | { phase: 'idle-release' }
  | { phase: 'rps'; options: RpsOptions }
);

async function run(command: Command): Promise<unknown> {
  switch (command.phase) {
    case 'ttft':
      return measureTtft(command.ports, command.options);
    case 'load':
      return runLoad(command.ports, command.options);
    case 'idle-open':
      return openIdle(command.ports, command.options);
    case 'idle-release':
      return releaseIdle();
    case 'rps':
      return measureRps(command.options);
  }
}

if (!process.send) {
  process.stderr.write('bench/load.ts is driven by bench/run.ts: run `npm run bench`.\n');
  process.exit(1);
}

process.on('message', (command: Command) => {
  run(command).then(
    (report) => process.send!({ id: command.id, ok: true, report }),
    (error: unknown) => process.send!({ id: command.id, ok: false, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
