import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * /docs (Swagger UI) and /docs/json (the OpenAPI document @fastify/swagger builds from the
 * routes' zod schemas). The UI's files are the ones @fastify/swagger-ui ships, served here
 * directly: its plugin pulls in @fastify/static, whose ESM-only dependency Jest cannot load.
 */
export async function docsRoutes(app: FastifyInstance): Promise<void> {
  const staticDir = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  const files: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
    'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
    'favicon-32x32.png': 'image/png',
  };
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Meta Ads orchestrator API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"><link rel="icon" href="/docs/static/favicon-32x32.png"></head>
<body><div id="ui"></div><script src="/docs/static/swagger-ui-bundle.js"></script><script src="/docs/static/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/docs/json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;
  const hide = { schema: { hide: true }, config: { public: true } } as const;
  app.get('/docs', hide, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/docs/init.js', hide, async (_request, reply) => reply.type('application/javascript; charset=utf-8').send(init));
  app.get('/docs/json', hide, async () => app.swagger());
  app.get<{ Params: { file: string } }>('/docs/static/:file', hide, async (request, reply) => {
    const type = files[request.params.file];
    if (!type) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such file', requestId: request.id } });
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(fs.createReadStream(path.join(staticDir, request.params.file)));
  });
}
