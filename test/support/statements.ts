import pg from 'pg';

/**
 * The statements (BEGIN and COMMIT included) a call sends through any `pg`
 * client of the process, in order: the round trips the bench counts per call
 * and the round-trip tests assert on.
 */
export async function statementsOf(call: () => Promise<unknown>): Promise<string[]> {
  const { query } = pg.Client.prototype;
  const texts: string[] = [];
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    const [first] = args as [string | { text: string }];
    texts.push(typeof first === 'string' ? first : first.text);
    return (query as (...args: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await call();
  } finally {
    pg.Client.prototype.query = query;
  }
  return texts;
}
