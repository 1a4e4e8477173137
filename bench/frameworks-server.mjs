// One benchmark server: `node bench/frameworks-server.mjs <framework> <variant>` prints its port, then
// serves GET / ("hello") with the CORS variant in front (the apps: ./framework-apps.mjs). Used by
// bench/frameworks.ts.
import { createServer } from 'node:http';
import { buildApp } from './framework-apps.mjs';

const [framework, variant] = process.argv.slice(2);

async function listen() {
  const { listener, fastify } = await buildApp(framework, variant);
  if (fastify) {
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return fastify.server.address().port;
  }
  const server = createServer(listener);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// CPU time of this process on request, so the driver can compute CPU per request (less sensitive to the
// shared machine's load than requests per second). Kept off the measured path: a separate port.
const control = createServer((req, res) => {
  if (req.url === '/exit') return res.end('bye', () => process.exit(0));
  res.end(JSON.stringify(process.cpuUsage()));
});
const port = await listen();
control.listen(0, '127.0.0.1', () => console.log(`${port} ${control.address().port}`));
