/**
 * No content-policy violation as the app starts, in the window or in the generation worker
 * (zod is configured not to try eval; src-renderer/lib/zod-jitless.ts). The page's violations
 * are caught as they happen; the worker's arrive through the policy's report-uri, which the test
 * bridge adds and collects. One violation caused on purpose at the end shows that reports do
 * arrive, so an empty list is not just a look taken too soon.
 */
import { expect, test } from '@playwright/test';

type CspReport = { 'csp-report': { 'document-uri': string; 'blocked-uri': string; 'source-file'?: string } };

test('the window and the generation worker start without a CSP violation', async ({ page }) => {
  const reports = async () => (await (await page.request.get('/__test/csp-reports')).json()) as CspReport[];
  const before = (await reports()).length;
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  await page.goto('/index.html');
  await expect(page.locator('[data-testid=score] [role=option]').first()).toBeVisible();
  // Opening the Generate panel starts the worker, which loads the model and writes variations.
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generate-panel').getByTestId('variation').first()).toBeVisible({
    timeout: 60_000,
  });
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);

  // An inline script, refused by the policy as it should be: the one report expected below.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'void 0';
    document.body.append(script);
  });
  await expect.poll(async () => (await reports()).length - before).toBeGreaterThan(0);
  const fresh = (await reports()).slice(before).map((r) => r['csp-report']);
  expect(fresh.map((r) => `${r['document-uri']} ${r['blocked-uri']}`)).toEqual([
    `${new URL('/index.html', page.url()).href} inline`,
  ]);
});
