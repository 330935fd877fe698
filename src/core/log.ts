/** Levels a core module may log at; the host decides where lines go. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The logger the core writes to. The CLI backs it with stderr, the extension with one
 * LogOutputChannel; tests use a collecting logger to assert warnings.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** A logger that drops everything, for callers that do not care. */
export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that writes each line at or above `min` through `write`, tagged with its level. */
export function levelLogger(min: LogLevel, write: (line: string) => void): Logger {
  const threshold = LEVELS.indexOf(min);
  const at = (level: LogLevel) => (message: string) => {
    if (LEVELS.indexOf(level) >= threshold) write(`[${level}] ${message}`);
  };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** A logger that keeps every line, for tests and for reports that list warnings. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = levelLogger('trace', (line) => lines.push(line));
  return Object.assign(logger, { lines });
}
