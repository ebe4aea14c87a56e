// Checks the real server against its own OpenAPI document: the document is
// valid OpenAPI 3.0 (@seriousme/openapi-schema-validator), and every documented
// endpoint, called with real path parameters, with an unknown id and with bad
// parameters, answers a documented status with a body that validates against
// the document (openapi-response-validator).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Validator } = require('@seriousme/openapi-schema-validator');
const OpenAPIResponseValidator = require('openapi-response-validator').default;

const root = path.resolve(__dirname, '../..');
const build = process.env.OCTOPUS_BUILD_DIR || path.join(root, 'build');
const port = Number(process.env.OCTOPUS_API_TEST_PORT || 18793);
const base = `http://127.0.0.1:${port}`;

let server;
let dir;
let doc;
/// Whether the server has a knowledge base: without one, the entity endpoints
/// (those documenting a 503) must answer that documented 503.
let knowledge = false;
/// Answers checked against the document, by status.
const checked = {};

async function get(target) {
  const res = await fetch(base + target, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') || '', text,
           headers: { location: res.headers.get('location') } };
}

async function waitForHealth(deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const r = await get('/healthz');
      if (r.status === 200) return;
    } catch (_) {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server on ${base} did not answer /healthz`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'octopus-api-'));
  const db = path.join(dir, 'api.db');
  execFileSync(path.join(build, 'tests/octopus_fixture_db'), [db], { cwd: root, stdio: 'inherit' });
  server = spawn(path.join(build, 'src/octopus'), ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`],
                 { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  server.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`server exited ${code}:\n${log}`);
  });
  await waitForHealth(20000);
  const r = await get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  doc = JSON.parse(r.text);
  knowledge = (await get('/api/v1/organisations')).status === 200;
});

after(() => {
  console.log(`answers checked against the document, by status: ${JSON.stringify(checked)}`);
  if (server) server.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------ the calls

/// The documented operation of a path template.
function operation(template) {
  const op = doc.paths[template] && doc.paths[template].get;
  assert.ok(op, `${template} is not documented`);
  return op;
}

/// Checks one answer against the document: a documented status, a documented
/// content type, and for JSON a body valid against the response schema.
function check(template, call, r) {
  const op = operation(template);
  checked[r.status] = (checked[r.status] || 0) + 1;
  const documented = op.responses[String(r.status)];
  assert.ok(documented, `${call}: status ${r.status} is not documented (${Object.keys(op.responses)})`);
  const types = Object.keys(documented.content || {});
  const type = r.type.split(';')[0].trim();
  assert.ok(types.includes(type), `${call}: content type ${type} is not documented (${types})`);
  if (type !== 'application/json') return;
  let body;
  assert.doesNotThrow(() => { body = JSON.parse(r.text); }, `${call}: body is not JSON`);
  const validator = new OpenAPIResponseValidator({ responses: op.responses, components: doc.components });
  const errors = validator.validateResponse(r.status, body);
  assert.equal(errors, undefined, `${call}: ${JSON.stringify(errors && errors.errors, null, 1)}`);
}

async function call(template, target, expected) {
  let r = await get(target);
  if (r.status === 301 && expected !== 301 && r.headers && r.headers.location) {
    // A documented permanent move: the answer at the new place is the one to check.
    check(template, target, r);
    target = r.headers.location;
    r = await get(target);
  }
  assert.equal(r.status, expected, `${target}: expected ${expected}, got ${r.status}: ${r.text.slice(0, 300)}`);
  check(template, target, r);
  return r.type.startsWith('application/json') ? JSON.parse(r.text) : r.text;
}

// ------------------------------------------------- real path parameters

/// The collection a path parameter's values come from: the list endpoint, the
/// array in its answer, and the item key that holds the value.
function collectionOf(template, param) {
  if (param === 'ref') return ['/api/v1/treaties', 'treaties', 'ref'];
  if (param === 'iso2') return ['/api/v1/countries', 'countries', 'iso2'];
  const m = template.match(/^(?:\/api\/v1)?\/([a-z]+)\//);
  assert.ok(m, `no collection for {${param}} in ${template}`);
  return [`/api/v1/${m[1]}`, 'items', param];
}

/// An endpoint over the knowledge base's entities: it documents a 503 for
/// when the knowledge base is not available.
function isEntityEndpoint(template) {
  return template !== '/healthz' && '503' in operation(template).responses;
}

/// Real values of a path parameter (at most `limit`), read from the server.
async function realValues(template, param, limit) {
  if (param === 'quarter') {
    // The quarters of the dated news items.
    const news = await call('/api/v1/news', '/api/v1/news?per_page=100', 200);
    const quarters = new Set();
    for (const n of news.items) {
      const d = n.date || n.date_lo;
      if (typeof d === 'string' && /^\d{4}-\d{2}/.test(d)) {
        quarters.add(`${d.slice(0, 4)}Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`);
      }
    }
    return [...quarters].slice(0, limit);
  }
  const [list, key, item] = collectionOf(template, param);
  const paged = (operation(list).parameters || []).some((p) => p.name === 'per_page');
  const body = await call(list, `${list}${paged ? '?per_page=100' : ''}`, 200);
  // The list's array: `items`, else the one array of the answer (`resources`).
  let entries = body[key] || Object.values(body).find(Array.isArray) || [];
  // Entity ids are text.
  if (isEntityEndpoint(template)) entries = entries.filter((x) => x.id === undefined || typeof x.id === 'string');
  const values = entries.map((x) => x[item] ?? x.id).filter((v) => v !== undefined && v !== null);
  return values.slice(0, limit).map(String);
}

function fill(template, values) {
  return template.replace(/\{([a-z0-9_]+)\}/g, (_, name) => encodeURIComponent(values[name]));
}

function pathParams(template) {
  return [...template.matchAll(/\{([a-z0-9_]+)\}/g)].map((m) => m[1]);
}

/// A value the parameter's schema rejects, or null when any text is allowed.
function badValue(schema) {
  if (!schema) return null;
  if (schema.type === 'integer') return schema.minimum !== undefined ? String(schema.minimum - 1) : 'x';
  if (schema.enum) return 'no-such-value';
  if (schema.format === 'date') return '2011-13-45';
  if (schema.pattern) return 'x';
  if (schema.maxLength) return 'a'.repeat(schema.maxLength + 1);
  return null;
}

// ------------------------------------------------------------------ tests

test('the document is valid OpenAPI 3.0', async () => {
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, '3.0');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 1));
});

test('every documented endpoint answers with real parameters as documented', async (t) => {
  let calls = 0;
  let entityCalls = 0;
  for (const template of Object.keys(doc.paths)) {
    if (isEntityEndpoint(template) && !knowledge) continue;
    const params = pathParams(template);
    if (params.length === 0) {
      await call(template, template, 200);
      ++calls;
      continue;
    }
    assert.equal(params.length, 1, `${template}: one path parameter expected`);
    const values = await realValues(template, params[0], 3);
    if (values.length === 0 && isEntityEndpoint(template)) {
      // Entities of this kind are listed nowhere yet (their list is of records), or the
      // fixture has none: the unknown-id test still checks the endpoint.
      t.diagnostic(`${template}: no entity id listed`);
      continue;
    }
    assert.ok(values.length > 0, `${template}: the fixture has no {${params[0]}}`);
    for (const v of values) {
      await call(template, fill(template, { [params[0]]: v }), 200);
      ++calls;
      if (isEntityEndpoint(template)) ++entityCalls;
    }
  }
  assert.ok(calls > 0);
  if (knowledge) assert.ok(entityCalls > 0, 'no entity endpoint was called with a real id');
});

test('without a knowledge base every entity endpoint answers its documented 503', async (t) => {
  if (knowledge) {
    t.skip('the server has a knowledge base');
    return;
  }
  let calls = 0;
  for (const template of Object.keys(doc.paths)) {
    if (!isEntityEndpoint(template)) continue;
    await call(template, fill(template, { id: 'any-entity' }), 503);
    ++calls;
  }
  assert.ok(calls > 0);
});

test('documented query parameters with their examples answer as documented', async () => {
  for (const [template, item] of Object.entries(doc.paths)) {
    if (isEntityEndpoint(template) && !knowledge) continue;
    const params = pathParams(template);
    const values = {};
    for (const p of params) values[p] = (await realValues(template, p, 1))[0];
    if (params.some((p) => values[p] === undefined)) continue;  // no real value: see above
    const filled = fill(template, values);
    for (const p of item.get.parameters || []) {
      if (p.in !== 'query' || p.example === undefined) continue;
      await call(template, `${filled}?${p.name}=${encodeURIComponent(p.example)}`, 200);
    }
  }
});

test('an unknown id, project, country, treaty or quarter is a documented error', async () => {
  let calls = 0;
  for (const [template, item] of Object.entries(doc.paths)) {
    if (isEntityEndpoint(template) && !knowledge) continue;
    const params = pathParams(template);
    if (params.length !== 1) continue;
    const param = item.get.parameters.find((p) => p.name === params[0]);
    if (params[0] === 'quarter') {
      await call(template, fill(template, { quarter: '2023Q5' }), 400);
    } else if (param.schema.type === 'integer') {
      await call(template, fill(template, { [params[0]]: '987654321' }), 404);
    } else {
      await call(template, fill(template, { [params[0]]: 'no-such-thing-zz' }), 404);
    }
    ++calls;
  }
  assert.ok(calls > 0);
});

test('a malformed or unknown query parameter is a documented 400', async () => {
  let calls = 0;
  for (const [template, item] of Object.entries(doc.paths)) {
    if (isEntityEndpoint(template) && !knowledge) continue;
    const params = pathParams(template);
    const values = {};
    for (const p of params) values[p] = (await realValues(template, p, 1))[0];
    const filled = fill(template, values);
    await call(template, `${filled}?no_such_parameter=1`, 400);
    ++calls;
    for (const p of item.get.parameters || []) {
      if (p.in !== 'query') continue;
      const bad = badValue(p.schema);
      if (bad === null) continue;
      await call(template, `${filled}?${p.name}=${encodeURIComponent(bad)}`, 400);
      ++calls;
    }
  }
  assert.ok(calls > 0);
});
