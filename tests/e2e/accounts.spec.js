// An administrator made on the command line (serve.sh) sets a password through
// the one-time link, signs in, sees who is signed in, adds an editor, finds
// it in the audit, and signs out.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');

const artifacts = process.env.OCTOPUS_E2E_ARTIFACTS || path.join(__dirname, 'artifacts');

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

test('an administrator signs in, adds a user and signs out', async ({ page }) => {
  const printed = fs.readFileSync(path.join(artifacts, 'admin-link.txt'), 'utf8');
  const link = new URL(printed.match(/http\S+\/password\/set\?token=[0-9a-f]{64}/)[0]);
  await page.goto(link.pathname + link.search);
  await page.fill('#password', 'quiet harbour at dawn');
  await page.fill('#confirm', 'quiet harbour at dawn');
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.locator('p.message')).toContainText('is set');

  await page.goto('/login');
  await page.fill('#email', 'admin@example.org');
  await page.fill('#password', 'quiet harbour at dawn');
  await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('header .who')).toContainText('admin@example.org');
  await shot(page, '20-signed-in');

  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('link', { name: 'Users and roles' }).click();
  await page.fill('#new-email', 'editor@example.org');
  await page.selectOption('#new-role', 'editor');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.locator('.set-password-link')).toContainText('/password/set?token=');
  await expect(page.locator('table')).toContainText('editor@example.org');
  await shot(page, '21-user-added');

  await page.goto('/admin/audit');
  await expect(page.locator('table.audit')).toContainText('user:editor@example.org');

  await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('header').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin$/);
});
