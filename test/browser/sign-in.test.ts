import { streamSteps } from '../fakes/fake-openrouter';
import { answerText, ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';
import { authEnv, hsToken } from '../helpers/tokens';

jest.setTimeout(60_000);

const suite = usePageSuite(authEnv('required'));

describe('signing in on the page', () => {
  test('when a token is pasted into the sign-in form, then the chat opens and answers as that user', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(['Signed ', 'in.'], { gap: 20 }) });
    const { page, watch } = await suite.open();

    const first = await page.goto(`${suite.app.origin}/ai-demo`);
    expect(first?.status()).toBe(401);
    await page.getByLabel('Access token').fill(await hsToken('alice'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForPageReady(page);

    const cookies = await page.context().cookies();
    expect(cookies.map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite }))).toEqual([
      { name: 'access_token', httpOnly: true, sameSite: 'Strict' },
    ]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await ask(page, 'Who am I?');
    await waitForFooter(page);
    await expect(answerText(page).then((t) => t.trim())).resolves.toBe('Signed in.');
    const id = (await page.locator('article.msg--assistant').getAttribute('data-stream-id'))!;
    expect([suite.app.service.get(id, 'alice')?.owner, suite.app.service.get(id, null)]).toEqual(['alice', undefined]);
    expect(watch.pageErrors).toEqual([]);
  });
});
