// What a visitor does: from the home page to a treaty's chart, filtering the
// activity calendar, searching, and opening a country. Screenshots of each
// step are kept in artifacts/ (OCTOPUS_E2E_ARTIFACTS to move them).
const path = require('path');
const { test, expect } = require('@playwright/test');

const artifacts = process.env.OCTOPUS_E2E_ARTIFACTS || path.join(__dirname, 'artifacts');

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

test('home leads to a treaty chart with its plot', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Treaty figures today/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Latest news' })).toBeVisible();
  await shot(page, '01-home');
  await page.getByRole('link', { name: /ETS 185/ }).first().click();
  await expect(page).toHaveURL(/\/treaties\/ETS-185$/);
  await expect(page.locator('h1')).toContainText('ETS 185');
  await expect(page.locator('figure.plot svg')).toBeVisible();
  await expect(page.locator('#state-GB')).toContainText('United Kingdom');
  // The date form is a plain GET form: it works without JavaScript.
  await page.fill('#as_of', '2011-06-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/as_of=2011-06-01/);
  await expect(page.locator('dd.count').first()).toHaveText('31');
  await shot(page, '02-treaty-chart');
});

test('the activity calendar filters by mode, project and month', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activities' }).click();
  await expect(page).toHaveURL(/\/activities$/);
  const items = page.locator('li.record.activity');
  await expect(items).toHaveCount(10);
  await expect(page.locator('.when.fuzzy', { hasText: 'by October 2023' })).toBeVisible();
  await expect(page.locator('.when.fuzzy', { hasText: 'mid-November 2023' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Date to be confirmed' })).toBeVisible();
  await shot(page, '03-calendar');

  await page.selectOption('#mode', 'online');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/mode=online/);
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('Online training for judges of Turkiye');
  await expect(page.locator('#mode')).toHaveValue('online');

  await page.goto('/activities');
  await page.locator('.facet-project').getByRole('link', { name: 'Global Action on Cybercrime Extended' }).click();
  await expect(items).toHaveCount(4);
  await page.fill('#from', '2023-10');
  await page.fill('#to', '2023-10');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('by October 2023');
  await shot(page, '04-calendar-filtered');
  // Each activity is an entity: its page gives every field with its sources.
  await items.first().getByRole('link', { name: 'Advisory mission on cybercrime legislation' }).click();
  await expect(page).toHaveURL(/\/activities\/[0-9a-f]{12}$/);
  await expect(page.locator('section.status')).toContainText('planned');
  await expect(page.locator('ul.sources').first()).toContainText('update_2023q3.txt');
});

test('search finds Türkiye without the accent and narrows by facet', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
  await page.fill('#q', 'Turkiye');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=Turkiye/);
  const results = page.locator('li.result');
  await expect(results).toHaveCount(7);
  await expect(page.locator('li.result mark', { hasText: 'Türkiye' }).first()).toBeVisible();
  await shot(page, '05-search');
  await page.locator('.facet-kind').getByRole('link', { name: 'project' }).click();
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('iPROCEEDS-2');
  await results.first().getByRole('link', { name: 'iPROCEEDS-2' }).click();
  // The project's page is its entity's, at its id; the link by name moved there.
  await expect(page).toHaveURL(/\/projects\/iproceeds-2$/);
  await expect(page.locator('ul.records.activities li')).toHaveCount(2);
});

test('a country brings treaties, projects, activities and news together', async ({ page }) => {
  await page.goto('/activities?country=TR');
  await page.locator('li.record.activity').first().getByRole('link', { name: 'Türkiye' }).click();
  await expect(page).toHaveURL(/\/countries\/TR$/);
  await expect(page.locator('h1')).toContainText('Türkiye');
  await expect(page.locator('.treaty-status tr', { hasText: 'ETS 185' })).toBeVisible();
  await expect(page.locator('section.projects')).toContainText('iPROCEEDS-2');
  await expect(page.locator('section.news')).toContainText('Workshop on cybercrime legislation');
  await shot(page, '06-country');
  await page.locator('.treaty-status').getByRole('link', { name: /ETS 185/ }).click();
  await expect(page).toHaveURL(/\/treaties\/ETS-185#state-TR$/);
});

test('feeds and unknown pages answer as they should', async ({ page, request }) => {
  const atom = await request.get('/news.atom');
  expect(atom.status()).toBe(200);
  expect(atom.headers()['content-type']).toContain('application/atom+xml');
  const ics = await request.get('/activities.ics');
  expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  const missing = await page.goto('/countries/ZZ');
  expect(missing.status()).toBe(404);
  await expect(page.locator('h1')).toContainText('404');
  const bad = await page.goto('/activities?mode=by+pigeon');
  expect(bad.status()).toBe(400);
  await expect(page.locator('.message')).toContainText('mode');
});

test('the quarterly update reads as a mail client shows it, and as a site page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Updates' }).click();
  await expect(page).toHaveURL(/\/updates$/);
  await page.locator('a[href="/updates/2023Q4"]').first().click();
  await expect(page).toHaveURL(/\/updates\/2023Q4$/);
  await expect(page.getByRole('heading', { name: /Inventory of activities/ })).toBeVisible();
  await shot(page, '07-update-in-site');
  // The e-mail HTML on its own: inline styles, no scripts, every section title.
  const mail = await page.goto('/updates/2023Q4.html');
  expect(mail.status()).toBe(200);
  expect(mail.headers()['content-type']).toContain('text/html');
  await expect(page.locator('h1')).toContainText('CYBERCRIME@COE UPDATE');
  for (const title of [/Highlights/, /Update: Treaties as of 31 December 2023/, /Inventory of capacity building projects/]) {
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
  }
  expect(await page.locator('script').count()).toBe(0);
  await shot(page, '08-update-mail-html');
});
