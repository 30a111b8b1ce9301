import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, openPage } from './browser';
import { startPageApp, type RunningPageApp } from './page-app';

export interface PageSuite {
  /** The running app with its fake upstream; set once `beforeAll` has run. */
  readonly app: RunningPageApp;
  /** A fresh page in a fresh context; the context is closed after the test. */
  open(options?: Parameters<typeof openPage>[2]): ReturnType<typeof openPage>;
}

/**
 * One Chromium and one app (started with `env`) for a browser test file, with the hooks that
 * start them, close every page's context after each test and stop both after the file.
 */
export function usePageSuite(env: Record<string, string> = {}): PageSuite {
  let browser: Browser | undefined;
  let app: RunningPageApp | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startPageApp(env);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  return {
    get app() {
      if (!app) throw new Error('The page app starts in beforeAll; use it inside a test.');
      return app;
    },
    async open(options) {
      if (!browser || !app) throw new Error('Chromium starts in beforeAll; open pages inside a test.');
      const opened = await openPage(browser, app.origin, options);
      contexts.push(opened.context);
      return opened;
    },
  };
}
