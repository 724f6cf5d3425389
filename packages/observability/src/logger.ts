import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names that hold personal information (PIPL): never written to a log, at any depth
 * pino can address. Values are replaced, the keys stay so a reader sees something was there.
 */
export const PERSONAL_FIELDS = [
  'idNumber',
  'name',
  'elderName',
  'phone',
  'address',
  'guardian',
  'contacts',
  'diagnosis',
  'diagnoses',
  'health',
  'password',
  'authorization',
  'cookie',
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of PERSONAL_FIELDS) {
    paths.push(field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`);
  }
  paths.push('req.headers.authorization', 'req.headers.cookie');
  return paths;
}

/** Options for the root logger of a process. */
export interface LoggerConfig {
  level?: string;
  /** The service or process name, on every line. */
  name: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** The root logger: JSON lines, personal fields redacted. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
    base: { service: config.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
