// Browser tests against the real `octopus serve` on loopback, over the fixture
// database (tests/e2e/fixture_db.cpp). Debian's chromium, no browser download.
const { defineConfig } = require('@playwright/test');

const port = Number(process.env.OCTOPUS_E2E_PORT || 18791);

module.exports = defineConfig({
  testDir: '.',
  testMatch: '*.spec.js',
  timeout: 30000,
  workers: 1,
  reporter: [['list']],
  outputDir: process.env.OCTOPUS_E2E_OUTPUT || 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // The site works without JavaScript; the tests hold it to that.
    javaScriptEnabled: false,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `./serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
