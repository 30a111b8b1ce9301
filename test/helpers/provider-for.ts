import { OpenRouterProvider, type OpenRouterOptions } from '../../src/providers/openrouter/openrouter-provider';
import type { FakeOpenRouter } from '../fakes/fake-openrouter';

/** An OpenRouterProvider that talks to `fake`, with test values for the rest; `overrides` win. */
export function providerFor(fake: FakeOpenRouter, overrides: Partial<OpenRouterOptions> = {}): OpenRouterProvider {
  return new OpenRouterProvider({
    apiKey: 'k',
    baseUrl: fake.baseUrl,
    appUrl: 'http://localhost:3000',
    appTitle: 't',
    connectTimeoutMs: 2000,
    firstTokenTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    ...overrides,
  });
}
