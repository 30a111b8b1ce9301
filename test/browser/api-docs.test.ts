import { artifactPath } from '../helpers/browser';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const suite = usePageSuite({ OPENROUTER_API_KEY: '', MOCK_DELAY_MS: '0' });

describe('the /docs API reference', () => {
  test('when it loads, then every operation shows, under the CSP, with no request leaving the app', async () => {
    const { page, watch } = await suite.open();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) csp.push(message.text());
    });
    const response = await page.goto(`${suite.app.origin}/docs`);
    expect(response?.headers()['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    await page.locator('.opblock').first().waitFor();

    const operations = await page.locator('.opblock-summary-path').allTextContents();
    expect(operations.map((op) => op.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/api/chat/stream', '/api/chat', '/api/chat/messages', '/api/chat/streams/{id}', '/metrics']),
    );
    await expect(page.locator('.information-container .title').textContent()).resolves.toContain('Streaming Chat');
    await page.screenshot({ path: artifactPath('api-docs.png') });
    expect(csp).toEqual([]);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
  });

  test('when an operation is tried out, then its request goes to this server and the answer shows', async () => {
    const { page, watch } = await suite.open();
    await page.goto(`${suite.app.origin}/docs`);
    const operation = page.locator('#operations-operations-health');
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse(`${suite.app.origin}/health`);
    await operation.getByRole('button', { name: 'Execute' }).click();
    expect((await answered).status()).toBe(200);
    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe('200');
    await expect(operation.locator('.live-responses-table .response-col_description pre').first().textContent()).resolves.toContain('"status": "ok"');
    expect(watch.foreignRequests).toEqual([]);
  });
});
