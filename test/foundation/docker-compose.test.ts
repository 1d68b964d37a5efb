import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the compose file is checked for what a person relies on:
// every service the README names exists, published ports do not clash, and the app services
// point at the compose's own PostgreSQL and Temporal.
const root = path.resolve(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      ports?: string[];
      expose?: string[];
      environment?: Record<string, string>;
      command?: unknown;
      depends_on?: Record<string, unknown>;
      configs?: Array<{ source: string; target: string }>;
    }
  >;
  configs?: Record<string, { content?: string }>;
};
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

test('every service the README names exists in docker-compose.yml', () => {
  const section = readme.split('## Docker Compose')[1]?.split('\n## ')[0] ?? '';
  const named = [...section.matchAll(/`([a-z][a-z0-9-]+)`/g)].map((match) => match[1]).filter((name) => !name.includes(' ') && !['docker', 'compose', 'up'].includes(name));
  expect(named.length).toBeGreaterThanOrEqual(5);
  for (const name of named) expect(Object.keys(compose.services)).toContain(name);
});

/** A short-syntax port mapping: `[host_ip:]host_port:container_port`. */
function published(mapping: string): { hostIp: string; hostPort: string; containerPort: string } {
  const parts = String(mapping).split(':');
  return parts.length === 3 ? { hostIp: parts[0], hostPort: parts[1], containerPort: parts[2] } : { hostIp: '0.0.0.0', hostPort: parts[0], containerPort: parts[1] ?? parts[0] };
}
const publishedBy = (name: string) => (compose.services[name].ports ?? []).map(published);

test('published host ports are unique: the API on 3000 and the Temporal UI on 8080', () => {
  const hostPorts = Object.values(compose.services).flatMap((service) => (service.ports ?? []).map((mapping) => published(mapping).hostPort));
  expect(new Set(hostPorts).size).toBe(hostPorts.length);
  expect(hostPorts.sort()).toEqual(['3000', '8080']);
});

test('Temporal\'s unauthenticated gRPC port stays on the compose network, its UI on the host\'s loopback, and the README says so', () => {
  expect(publishedBy('temporal')).toEqual([]);
  expect(compose.services.temporal.expose).toEqual(['7233']);
  expect(publishedBy('temporal-ui')).toEqual([{ hostIp: '127.0.0.1', hostPort: '8080', containerPort: '8080' }]);
  // Only the API (which wants a token on every request) listens on every interface.
  const everywhere = Object.entries(compose.services).filter(([, service]) => (service.ports ?? []).some((mapping) => published(mapping).hostIp === '0.0.0.0')).map(([name]) => name);
  expect(everywhere).toEqual(['api']);
  const section = readme.split('## Docker Compose')[1]?.split('\n## ')[0] ?? '';
  expect(section).toMatch(/7233[^.]*not published/);
  expect(section).toContain('http://127.0.0.1:8080');
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

test('the compose Temporal server takes updates and Update-With-Start (sync starts and change set confirms use them)', () => {
  const temporal = compose.services.temporal;
  const mounted = (temporal.configs ?? []).find((config) => config.target.endsWith(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '\u0000'));
  expect(mounted).toBeDefined();
  const dynamic = parse(compose.configs?.[mounted!.source]?.content ?? '') as Record<string, Array<{ value: unknown }>>;
  expect(dynamic['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true);
  expect(dynamic['frontend.enableExecuteMultiOperation']?.[0]?.value).toBe(true);
});
