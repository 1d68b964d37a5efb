import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the compose file is checked for what a person relies on:
// every service the README names exists, published ports do not clash, and the app services
// point at the compose's own PostgreSQL and Temporal.
const root = path.resolve(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; ports?: string[]; environment?: Record<string, string>; command?: unknown; depends_on?: Record<string, unknown> }>;
};
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

test('every service the README names exists in docker-compose.yml', () => {
  const section = readme.split('## Docker Compose')[1]?.split('\n## ')[0] ?? '';
  const named = [...section.matchAll(/`([a-z][a-z0-9-]+)`/g)].map((match) => match[1]).filter((name) => !name.includes(' ') && !['docker', 'compose', 'up'].includes(name));
  expect(named.length).toBeGreaterThanOrEqual(5);
  for (const name of named) expect(Object.keys(compose.services)).toContain(name);
});

test('published host ports are unique and include the API, Temporal and its UI', () => {
  const hostPorts = Object.values(compose.services).flatMap((service) => (service.ports ?? []).map((mapping) => String(mapping).split(':')[0]));
  expect(new Set(hostPorts).size).toBe(hostPorts.length);
  expect(hostPorts).toEqual(expect.arrayContaining(['3000', '7233', '8080']));
});

test('app services use the compose PostgreSQL and Temporal, and the search attributes are registered first', () => {
  for (const name of ['api', 'worker']) {
    const env = compose.services[name].environment!;
    expect(env.DATABASE_URL).toMatch(/@app-postgresql:5432\//);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(Object.keys(compose.services[name].depends_on ?? {})).toContain('temporal-search-attributes');
  }
  const register = JSON.stringify(compose.services['temporal-search-attributes'].command);
  for (const attribute of ['CompanyId', 'AdAccountId', 'WorkflowKind']) expect(register).toContain(attribute);
  expect(compose.services.temporal.image).toMatch(/^temporalio\//);
  expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui/);
});
