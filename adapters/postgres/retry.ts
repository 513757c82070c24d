/** SQLSTATEs after which running the whole transaction again may succeed. */
const transientCodes = new Set(['40001', '40P01']);

/** Whether an error is a serialization failure or a deadlock. */
export function isTransient(error: unknown): boolean {
  return typeof error === 'object' && error !== null && transientCodes.has(String((error as { code?: unknown }).code));
}

/**
 * Runs `attempt` (told how many tries came before) and runs it again, up to `retries` more times, while it fails
 * with a serialization failure or a deadlock; waits a random 1–2^n ms between
 * tries so the contenders spread out. Any other error is thrown at once.
 */
export async function retrying<T>(retries: number, attempt: (tries: number) => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt(tries);
    } catch (error) {
      if (tries >= retries || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 2 ** (tries + 2)));
    }
  }
}
