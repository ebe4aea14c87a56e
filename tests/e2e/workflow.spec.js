// The "done when", in a browser: a new administrator made on the
// command line over the embedded (SQLite) setup adds an editor and a
// reviewer; the editor edits CyberEast's budget and adds an activity; the
// reviewer approves both; the public pages, the API, search and the quarterly
// update show the change; /admin/audit shows both actions with before and
// after; everyone signs out. It changes the shared fixture database (an
// activity more), so it runs after the other files (Playwright takes them in
// name order, one worker).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, expect } = require('@playwright/test');

const artifacts = process.env.OCTOPUS_E2E_ARTIFACTS || path.join(__dirname, 'artifacts');
const octopus = path.join(process.env.OCTOPUS_BUILD_DIR || path.join(__dirname, '../../build'), 'src/octopus');

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

function linkIn(text) {
  const found = text.match(/\/password\/set\?token=[0-9a-f]{64}/);
  expect(found, text).not.toBeNull();
  return found[0];
}

async function setPasswordAndSignIn(page, link, email, password) {
  await page.goto(link);
  await page.fill('#password', password);
  await page.fill('#confirm', password);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.locator('p.message')).toContainText('is set');
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('header .who')).toContainText(email);
}

async function signOut(page) {
  await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('header').getByRole('link', { name: 'Sign in' })).toBeVisible();
}

test('an edit and a new activity, reviewed, reach the public site and the audit', async ({ page, baseURL }) => {
  test.setTimeout(120000);
  const db = fs.readFileSync(path.join(artifacts, 'db-path.txt'), 'utf8').trim();
  const printed = execFileSync(octopus, ['--db', db, 'user', 'add', 'chief@example.org', '--role', 'administrator',
                                         '--base-url', baseURL], { encoding: 'utf8' });
  const budgetBefore = await (await page.request.get('/api/v1/projects/cybereast')).json();

  // The administrator adds an editor and a reviewer.
  await setPasswordAndSignIn(page, linkIn(printed), 'chief@example.org', 'slow rivers carve stone');
  const links = {};
  for (const [email, role] of [['erin@example.org', 'editor'], ['remy@example.org', 'reviewer']]) {
    await page.goto('/admin/users');
    await page.fill('#new-email', email);
    await page.selectOption('#new-role', role);
    await page.getByRole('button', { name: 'Add' }).click();
    links[role] = linkIn(await page.locator('.set-password-link').innerText());
    await expect(page.locator('table')).toContainText(email);
  }
  await shot(page, '30-editor-and-reviewer-added');
  await signOut(page);

  // The editor edits CyberEast's budget and adds an activity.
  await setPasswordAndSignIn(page, links.editor, 'erin@example.org', 'editors keep good notes');
  await page.goto('/edit/projects/cybereast');
  await page.fill('#field-budget_amount', 'EUR 5 400 000');
  await page.fill('#field-budget_currency', 'EUR');
  await page.fill('#field-note', 'budget revised by the steering committee');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('main')).toContainText('review');
  await page.goto('/edit/activities/new');
  await page.fill('#field-title', 'Workshop on numbat forensics');
  await page.fill('#field-projects', 'CyberEast');
  await page.fill('#field-countries', 'Georgia');
  await page.fill('#field-when', '12 September 2023');
  await page.fill('#field-status', 'held');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('main')).toContainText('review');
  await shot(page, '31-edits-drafted');
  // Not public yet.
  expect((await (await page.request.get('/api/v1/search?q=numbat', { headers: { cookie: '' } })).json()).total).toBe(0);
  await signOut(page);

  // The reviewer approves both.
  await setPasswordAndSignIn(page, links.reviewer, 'remy@example.org', 'reviewers read twice');
  await page.goto('/review');
  await expect(page.locator('article.draft')).toHaveCount(2);
  await expect(page.locator('table.changes').first()).toContainText('5400000');
  for (let left = 1; left >= 0; left--) {
    await page.locator('article.draft').first().getByRole('button', { name: 'Approve and publish' }).click();
    await expect(page.locator('article.draft')).toHaveCount(left);
    await expect(page.locator('p.message')).toContainText('is published');
  }
  await expect(page.locator('main')).toContainText('No drafts await review.');
  await shot(page, '32-approved');
  await signOut(page);

  // The public site: page, API, search, the quarterly update.
  await page.goto('/projects/cybereast');
  await expect(page.locator('main')).toContainText('EUR 5,400,000');
  await expect(page.locator('main')).toContainText('edited by erin@example.org');
  await expect(page.locator('main')).toContainText('Workshop on numbat forensics');
  await shot(page, '33-public-project');
  const api = await (await page.request.get('/api/v1/projects/cybereast')).json();
  const budget = api.fields.find((f) => f.name === 'budget_amount');
  expect(budget.values[0].value).toBe('5400000');
  expect(JSON.stringify(budgetBefore)).not.toContain('5400000');
  await page.goto('/search?q=numbat');
  await expect(page.locator('main')).toContainText('Workshop on numbat forensics');
  const found = await (await page.request.get('/api/v1/search?q=numbat')).json();
  expect(found.total).toBe(1);
  await page.goto('/updates/2023Q3');
  await expect(page.locator('main')).toContainText('Workshop on numbat forensics');
  const text = await (await page.request.get('/updates/2023Q3.txt')).text();
  expect(text).toContain('Workshop on numbat forensics');

  // The audit: both actions, with before and after.
  await page.goto('/login');
  await page.fill('#email', 'chief@example.org');
  await page.fill('#password', 'slow rivers carve stone');
  await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/admin/audit?entity=project%3Acybereast');
  const rows = page.locator('table.audit tbody tr');
  // The budget's amount (its currency is a value of the same change set).
  const budgetRows = rows.filter({ hasText: 'budget_amount' });
  await expect(budgetRows.filter({ hasText: 'approve' }).filter({ hasText: 'remy@example.org' })).toHaveCount(1);
  const drafted = budgetRows.filter({ hasText: 'draft' }).filter({ hasText: 'erin@example.org' });
  await expect(drafted).toHaveCount(1);
  await expect(drafted).toContainText('5400000');
  const before = budget.history && budget.history.length ? budget.history[0].value : null;
  if (before) await expect(drafted).toContainText(before);
  await page.goto('/admin/audit?entity=activity%3A');
  await expect(page.locator('table.audit')).toContainText('Workshop on numbat forensics');
  await expect(page.locator('table.audit')).toContainText('approve');
  await shot(page, '34-audit');
  await signOut(page);
  await page.goto('/admin/audit');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit$/);
});
