import { type ErrorCode, isTenantryError } from '../../src/index.js';

/**
 * Prints the walk-through and checks it as it goes: a step that should succeed
 * and fails, a refusal that does not happen (or happens with another code), or
 * a fact that does not hold, stops the demo with exit code 1.
 */
export class Narrator {
  #steps = 0;
  #refusals = 0;
  readonly #beforeStep: () => void;

  /** `beforeStep` runs before every step (the demo advances its test clock there). */
  constructor(beforeStep: () => void = () => {}) {
    this.#beforeStep = beforeStep;
  }

  /** A chapter heading. */
  heading(title: string): void {
    console.log(`\n== ${title} ${'='.repeat(Math.max(3, 74 - title.length))}`);
  }

  /** A line of explanation, not a check. */
  note(text: string): void {
    console.log(`  · ${text}`);
  }

  /** Runs a step that must succeed; prints ✓ and what `describe` says about the result. */
  async ok<T>(label: string, work: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    let result: T;
    this.#beforeStep();
    try {
      result = await work();
    } catch (error) {
      const reason = isTenantryError(error) ? `${error.code}: ${error.message}` : String(error);
      throw new DemoFailure(`"${label}" should have succeeded but failed with ${reason}`);
    }
    this.#steps += 1;
    console.log(`  ✓ ${label}${describe ? ` — ${describe(result)}` : ''}`);
    return result;
  }

  /** Runs a step that must be refused with `code`; prints ✗, the code and the message. */
  async refused(label: string, code: ErrorCode, work: () => Promise<unknown>): Promise<void> {
    this.#beforeStep();
    try {
      await work();
    } catch (error) {
      if (isTenantryError(error, code)) {
        this.#refusals += 1;
        console.log(`  ✗ ${label} → ${error.code}: ${error.message}`);
        return;
      }
      const got = isTenantryError(error) ? `${error.code}: ${error.message}` : String(error);
      throw new DemoFailure(`"${label}" should have been refused with ${code} but failed with ${got}`);
    }
    throw new DemoFailure(`"${label}" should have been refused with ${code} but succeeded`);
  }

  /** Asserts a fact about the state; prints it with ✓. */
  check(label: string, holds: boolean): void {
    if (!holds) throw new DemoFailure(`expected: ${label}`);
    this.#steps += 1;
    console.log(`  ✓ ${label}`);
  }

  /** The closing tally. */
  summary(): string {
    return `${this.#steps} steps succeeded, ${this.#refusals} refusals came with the expected code`;
  }
}

/** A step of the walk-through did not turn out as it should. */
export class DemoFailure extends Error {
  override readonly name = 'DemoFailure';
}
