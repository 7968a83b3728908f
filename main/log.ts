/** The little logging surface main/ needs; main.ts passes console, tests pass a recorder. */
export interface Logger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, meta) => console.info(`[veildesk] ${message}`, meta ?? ''),
  warn: (message, meta) => console.warn(`[veildesk] ${message}`, meta ?? ''),
  error: (message, meta) => console.error(`[veildesk] ${message}`, meta ?? ''),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
