import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { expressApp } from '../../examples/express/app.js';
import { honoApp } from '../../examples/hono/app.js';
import { makeTenantry, person } from '../support/tenantry.js';
import { runPortalFlow } from './portal-flow.js';

/** Servers to close after each test. */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An installation with Acme, whose first admin has been invited (the invitation is the newest mail). */
async function installation() {
  const t = await makeTenantry();
  const { organization } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: { ...person('Ada', 'Lovelace'), email: 'ada@acme.example' },
  });
  return { ...t, organization };
}

describe('examples over real HTTP on 127.0.0.1', () => {
  it('Hono (@hono/node-server) serves the whole portal flow', async () => {
    const t = await installation();
    // Plain HTTP in a test: the cookie is sent back by hand, so Secure does not matter here.
    const server = serve({ fetch: honoApp(t.um).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    await runPortalFlow(`http://127.0.0.1:${port}`, t.mailer, t.organization.id);
  });

  it('Express 5 serves the whole portal flow through the fetch bridge', async () => {
    const t = await installation();
    const server = expressApp(t.um).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    await runPortalFlow(`http://127.0.0.1:${port}`, t.mailer, t.organization.id);
  });
});

describe('example servers as their own processes', () => {
  for (const example of ['hono', 'express']) {
    it(`examples/${example}/server.ts starts, prints its address and answers`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', `examples/${example}/server.ts`], {
        env: { ...process.env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      closers.push(async () => {
        child.kill();
        await once(child, 'exit');
      });
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /tenantry API on (http:\/\/localhost:\d+)\/api/.exec(output);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      expect(output).toMatch(/accept-invitation\?token=/);
      const health = await fetch(`${url}/health`);
      expect(await health.json()).toEqual({ ok: true });
      const document = await (await fetch(`${url}/api/openapi.json`)).json();
      expect(document.paths['/users']).toBeDefined();
    });
  }
});
