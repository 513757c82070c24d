import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the worker is asked: the characters to judge and the user's own words. */
export interface StrengthQuestion {
  password: string;
  userInputs: string[];
}

/** What the worker answers: zxcvbn's score and warning. */
export interface StrengthAnswer {
  score: number;
  warning: string | null;
}

/**
 * The worker's program, plain CommonJS so that it runs the same from the
 * built package and from the sources: it loads zxcvbn-ts and its
 * dictionaries once, then answers one question per message.
 */
const program = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const english = require(workerData.english);
const factory = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  l33tMaxSubstitutions: workerData.l33tMaxSubstitutions,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const result = factory.check(password, userInputs);
    parentPort.postMessage({ id, score: result.score, warning: result.feedback.warning || null });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

type Pending = { resolve: (answer: StrengthAnswer) => void; reject: (error: Error) => void };

/**
 * zxcvbn-ts in a worker thread, so that judging a password never blocks the
 * event loop. Started on the first question; held referenced only while a
 * question is open, so an idle checker never keeps the process alive.
 */
export class StrengthWorker {
  readonly #l33tMaxSubstitutions: number;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;

  constructor(l33tMaxSubstitutions: number) {
    this.#l33tMaxSubstitutions = l33tMaxSubstitutions;
  }

  /** Judges one password. */
  judge(question: StrengthQuestion): Promise<StrengthAnswer> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<StrengthAnswer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, ...question });
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const resolve = createRequire(import.meta.url).resolve;
    const worker = new Worker(program, {
      eval: true,
      workerData: {
        core: resolve('@zxcvbn-ts/core'),
        common: resolve('@zxcvbn-ts/language-common'),
        english: resolve('@zxcvbn-ts/language-en'),
        l33tMaxSubstitutions: this.#l33tMaxSubstitutions,
      },
    });
    worker.unref();
    worker.on('message', (message: { id: number; error?: string } & StrengthAnswer) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) worker.unref();
      if (message.error !== undefined) pending.reject(new Error(`password strength check failed: ${message.error}`));
      else pending.resolve({ score: message.score, warning: message.warning });
    });
    const fail = (error: Error) => {
      this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`password strength worker stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}

const workers = new Map<number, StrengthWorker>();

/** The process's one worker for this setting: every checker shares it, so there is one thread, not one per installation. */
export function sharedStrengthWorker(l33tMaxSubstitutions: number): StrengthWorker {
  let worker = workers.get(l33tMaxSubstitutions);
  if (!worker) {
    worker = new StrengthWorker(l33tMaxSubstitutions);
    workers.set(l33tMaxSubstitutions, worker);
  }
  return worker;
}
