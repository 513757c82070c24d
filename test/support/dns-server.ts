import { Resolver } from 'node:dns/promises';
import dns2 from 'dns2';
import type { DnsResolver } from '../../src/index.js';

const { Packet } = dns2;
const SERVFAIL = 2;
const NXDOMAIN = 3;

/** How the server answers every question, whatever it holds. */
export type DnsServerMode = 'answer' | 'silent' | 'servfail';

/**
 * A DNS server on 127.0.0.1 (UDP and TCP, one port) answering TXT questions
 * with the records a test sets: NXDOMAIN for a name it holds nothing for,
 * an empty answer for other types. `mode('silent')` makes it never answer,
 * `mode('servfail')` answer every question with a server failure.
 */
export interface TestDnsServer {
  port: number;
  /** Sets the TXT records of a name: each record a string, or its chunks. */
  setTxt(name: string, records: readonly (string | readonly string[])[]): void;
  clear(): void;
  mode(mode: DnsServerMode): void;
  /** How many questions reached the server. */
  readonly questions: number;
  /**
   * A resolver for tenantry's `dns` option that asks only this server.
   * Its own timeout and tries are short unless given; `cancel()` ends its
   * queries still waiting (for tests that leave one behind).
   */
  resolver(options?: { timeout?: number; tries?: number }): DnsResolver & { cancel(): void };
  close(): Promise<void>;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/u, '');

async function listen(records: Map<string, string[][]>, state: { mode: DnsServerMode; questions: number }) {
  const handle: dns2.DnsHandler = (request, send) => {
    state.questions += 1;
    if (state.mode === 'silent') return;
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    if (state.mode === 'servfail' || !question) {
      response.header.rcode = SERVFAIL;
      void send(response);
      return;
    }
    const held = records.get(key(question.name));
    if (!held) response.header.rcode = NXDOMAIN;
    else if (question.type === Packet.TYPE.TXT) {
      for (const data of held) {
        response.answers.push(Packet.createResourceFromQuestion(question, { ttl: 60, data }));
      }
    }
    void send(response);
  };
  const udp = dns2.createServer({ udp: true, handle });
  const port = (await udp.listen({ udp: { port: 0, address: '127.0.0.1' } })).udp?.port;
  if (!port) throw new Error('the DNS server has no UDP port');
  // An answer too large for UDP comes truncated, and the resolver asks again over TCP, on the same port.
  const tcp = dns2.createServer({ tcp: true, handle });
  const failed = new Promise<never>((_, reject) => tcp.once('error', reject));
  try {
    await Promise.race([tcp.listen({ tcp: { port, address: '127.0.0.1' } }), failed]);
  } catch (error) {
    await udp.close();
    throw error;
  }
  return { servers: [udp, tcp], port };
}

/** Starts a {@link TestDnsServer} on a free port. */
export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[][]>();
  const state = { mode: 'answer' as DnsServerMode, questions: 0 };
  let started: Awaited<ReturnType<typeof listen>> | undefined;
  // The UDP side's port may be taken for TCP: then try another.
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    started = await listen(records, state).catch(() => undefined);
  }
  if (!started) throw new Error('could not start the DNS server');
  const { servers, port } = started;
  const resolvers: Resolver[] = [];
  return {
    port,
    setTxt(name, values) {
      records.set(
        key(name),
        values.map((value) => (typeof value === 'string' ? [value] : [...value])),
      );
    },
    clear() {
      records.clear();
      state.mode = 'answer';
    },
    mode(mode) {
      state.mode = mode;
    },
    get questions() {
      return state.questions;
    },
    resolver({ timeout = 500, tries = 1 } = {}) {
      const resolver = new Resolver({ timeout, tries });
      resolver.setServers([`127.0.0.1:${port}`]);
      resolvers.push(resolver);
      return { resolveTxt: (name) => resolver.resolveTxt(name), cancel: () => resolver.cancel() };
    },
    async close() {
      for (const resolver of resolvers) resolver.cancel();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
