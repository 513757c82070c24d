import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UserManagement } from '../src/index.js';
import { CliError } from './errors.js';

/** The application's `UserManagement` from a config module, and how to let its resources go. */
export interface LoadedConfig {
  userManagement: UserManagement;
  /** The module's `close` export, if it has one (to end its database pool). */
  close(): Promise<void>;
}

/**
 * A `UserManagement` from another copy of tenantry (the application's own)
 * is not an `instanceof` this one, so it is recognized by its shape.
 */
function isUserManagement(value: unknown): value is UserManagement {
  return typeof value === 'object' && value !== null && typeof (value as { as?: unknown }).as === 'function';
}

/**
 * Loads a config module (a path relative to the working directory): its
 * default export is the application's `UserManagement`, or a function (maybe
 * async) that returns one. An optional `close` export is called when the
 * command is done, so the module can end the database pool it opened.
 */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const file = resolve(process.cwd(), path);
  if (!existsSync(file)) throw new CliError(`cannot find the config module ${path}`);
  let module: { default?: unknown; close?: unknown };
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot load the config module ${path}: ${reason}`);
  }
  const close = async () => {
    if (typeof module.close === 'function') await module.close();
  };
  try {
    const exported = typeof module.default === 'function' ? await module.default() : module.default;
    if (!isUserManagement(exported)) {
      throw new CliError(
        `the config module ${path} must export as default a UserManagement, or a function that returns one`,
      );
    }
    return { userManagement: exported, close };
  } catch (error) {
    await close();
    throw error;
  }
}
