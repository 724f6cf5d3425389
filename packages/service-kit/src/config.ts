import { sealingKeysFromEnv, type SealingKeys } from '@fbl/privacy';
import Type, { type Static } from 'typebox';
import { chinaDivisions, DEFAULT_PROVINCE } from '@fbl/codes';
import { compileChecker, describeFieldErrors } from '@fbl/contracts';
import type { DatabaseTls } from '@fbl/db';
import type { KafkaSasl, KafkaTls } from '@fbl/messaging';
import { readFileSync } from 'node:fs';

/** Environment keys every service process reads. */
export const ProcessEnvSchema = Type.Object({
  PORT: Type.Optional(Type.String({ pattern: '^([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$' })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_BROKERS: Type.Optional(Type.String({ pattern: '^[^,\\s]+(,[^,\\s]+)*$' })),
  KAFKA_PARTITIONS: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })),
  KAFKA_REPLICATION_FACTOR: Type.Optional(Type.String({ pattern: '^[1-9]$' })),
  KAFKA_NAMESPACE: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,40}$' })),
  // Encryption in transit: TLS to PostgreSQL (libpq's sslmode names) and TLS + SASL to Kafka; certificates as PEM files.
  DATABASE_SSLMODE: Type.Optional(Type.Union([Type.Literal('disable'), Type.Literal('require'), Type.Literal('verify-full')])),
  DATABASE_SSLROOTCERT: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_SSLCERT: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_SSLKEY: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SSL: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  KAFKA_SSL_CA: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SSL_CERT: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SSL_KEY: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SASL_MECHANISM: Type.Optional(Type.Union([Type.Literal('scram-sha-256'), Type.Literal('scram-sha-512'), Type.Literal('plain')])),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  // The province the deployment serves, by the first two digits of its GB/T 2260 code (37 Shandong).
  DEPLOYMENT_PROVINCE: Type.Optional(Type.String({ pattern: '^[1-8][0-9]$' })),
  LOG_LEVEL: Type.Optional(Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))),
  // An external OpenID Connect provider whose access tokens are accepted besides the gateway's own.
  OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://' })),
  OIDC_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  OIDC_ROLE_CLAIM: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_INSTITUTION_CLAIM: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_DIVISION_CLAIM: Type.Optional(Type.String({ minLength: 1 })),
});

/**
 * An external OpenID Connect provider (a city's unified identity platform): its tokens are
 * verified against its published keys (JWKS), and its claims name the role and scope.
 */
export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Claim names of the role, the institution and the division (defaults fbl_role, fbl_institution, fbl_division). */
  claims: { role: string; institution: string; division: string };
}

/** The validated configuration of one process. */
export interface ProcessConfig {
  port: number;
  host: string;
  database: { url: string; tls?: DatabaseTls } | { dataDir: string };
  kafka?: { brokers: string[]; partitions: number; replicationFactor: number; namespace?: string; ssl?: KafkaTls; sasl?: KafkaSasl };
  logLevel: string;
  oidc?: OidcSettings;
  /** The province the deployment serves (two digits, '37'): its institutions, service areas and referral origins lie in it. `DEFAULT_PROVINCE` when absent. */
  province?: string;
}

const checker = compileChecker<Static<typeof ProcessEnvSchema>>(ProcessEnvSchema);

/** Thrown at start-up when the environment is wrong; the message names each bad key. */
export class ConfigError extends Error {}

/** What `pnpm audit-log` needs: the database, and how long audit rows are kept at least. */
export interface AuditLogConfig {
  readonly database: ProcessConfig['database'];
  /** AUDIT_RETENTION_DAYS (default 180): archiving refuses rows younger than this. */
  readonly retentionDays: number;
}

/** The configuration of `pnpm audit-log`, from an environment (the process's by default). */
export function auditLogConfig(env: Record<string, string | undefined> = process.env): AuditLogConfig {
  const retentionDays = Number(env['AUDIT_RETENTION_DAYS'] ?? 180);
  if (!Number.isInteger(retentionDays) || retentionDays < 0) throw new ConfigError('AUDIT_RETENTION_DAYS must be a whole number of days');
  return { database: readProcessConfig(env, { port: 3000, dataDir: './data' }).database, retentionDays };
}

/**
 * The keys that seal personal data, from the environment (`CRYPTO_SUITE`, `PII_ENCRYPTION_KEY`,
 * `PII_PREVIOUS_ENCRYPTION_KEYS`): a ConfigError with `missing` when there is no key, naming the
 * variable when the suite is unknown.
 */
export function sealingKeys(env: Record<string, string | undefined>, missing: string): SealingKeys {
  let keys: SealingKeys | undefined;
  try {
    keys = sealingKeysFromEnv(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (!keys) throw new ConfigError(missing);
  return keys;
}

type ProcessEnv = Static<typeof ProcessEnvSchema>;

/** A PEM file named by a key, read at start-up; a ConfigError naming the key when it cannot be read or holds no PEM. */
function pemFile(key: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${key} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(`invalid configuration: ${key} ${path} holds no PEM`);
  return text;
}

/** TLS to PostgreSQL from DATABASE_SSLMODE and its certificate files; undefined for `disable` or when unset. */
function databaseTlsOf(e: ProcessEnv): DatabaseTls | undefined {
  const files = { ca: pemFile('DATABASE_SSLROOTCERT', e.DATABASE_SSLROOTCERT), cert: pemFile('DATABASE_SSLCERT', e.DATABASE_SSLCERT), key: pemFile('DATABASE_SSLKEY', e.DATABASE_SSLKEY) };
  const mode = e.DATABASE_SSLMODE ?? 'disable';
  if (mode === 'disable') {
    if (files.ca || files.cert || files.key) throw new ConfigError('invalid configuration: DATABASE_SSLROOTCERT, DATABASE_SSLCERT and DATABASE_SSLKEY need DATABASE_SSLMODE require or verify-full');
    return undefined;
  }
  if (!e.DATABASE_URL) throw new ConfigError('invalid configuration: DATABASE_SSLMODE is for a PostgreSQL server (DATABASE_URL); the embedded database has no connection');
  if (Boolean(files.cert) !== Boolean(files.key)) throw new ConfigError('invalid configuration: DATABASE_SSLCERT and DATABASE_SSLKEY go together');
  return { mode, ...(files.ca ? { ca: files.ca } : {}), ...(files.cert ? { cert: files.cert } : {}), ...(files.key ? { key: files.key } : {}) };
}

/** TLS and SASL to Kafka from KAFKA_SSL, KAFKA_SSL_* files and KAFKA_SASL_*. */
function kafkaSecurityOf(e: ProcessEnv): { ssl?: KafkaTls; sasl?: KafkaSasl } {
  const files = { ca: pemFile('KAFKA_SSL_CA', e.KAFKA_SSL_CA), cert: pemFile('KAFKA_SSL_CERT', e.KAFKA_SSL_CERT), key: pemFile('KAFKA_SSL_KEY', e.KAFKA_SSL_KEY) };
  const tls = e.KAFKA_SSL === 'true';
  if (!tls && (files.ca || files.cert || files.key)) throw new ConfigError('invalid configuration: KAFKA_SSL_CA, KAFKA_SSL_CERT and KAFKA_SSL_KEY need KAFKA_SSL=true');
  if (Boolean(files.cert) !== Boolean(files.key)) throw new ConfigError('invalid configuration: KAFKA_SSL_CERT and KAFKA_SSL_KEY go together');
  const saslKeys = [e.KAFKA_SASL_MECHANISM, e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_PASSWORD];
  if (saslKeys.some(Boolean) && !saslKeys.every(Boolean)) throw new ConfigError('invalid configuration: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together');
  if (e.KAFKA_SASL_MECHANISM === 'plain' && !tls) throw new ConfigError('invalid configuration: KAFKA_SASL_MECHANISM plain sends the password as it is: it needs KAFKA_SSL=true');
  if ((tls || e.KAFKA_SASL_MECHANISM) && !e.KAFKA_BROKERS) throw new ConfigError('invalid configuration: KAFKA_SSL and KAFKA_SASL_* are for a Kafka cluster (KAFKA_BROKERS)');
  return {
    ...(tls ? { ssl: { ...(files.ca ? { ca: files.ca } : {}), ...(files.cert ? { cert: files.cert } : {}), ...(files.key ? { key: files.key } : {}) } } : {}),
    ...(e.KAFKA_SASL_MECHANISM ? { sasl: { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME!, password: e.KAFKA_SASL_PASSWORD! } } : {}),
  };
}

/**
 * Read and validate the process configuration from an environment once, at start-up.
 * Fails fast with every bad key named. The result is frozen.
 */
export function readProcessConfig(env: Record<string, string | undefined>, defaults: { port: number; dataDir?: string }): Readonly<ProcessConfig> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ProcessEnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  if (!checker.check(picked)) throw new ConfigError(`invalid configuration: ${describeFieldErrors(checker.errors(picked))}`);
  const e = picked as ProcessEnv;
  const oidcKeys = [e.OIDC_ISSUER, e.OIDC_AUDIENCE, e.OIDC_JWKS_URL];
  if (oidcKeys.some(Boolean) && !oidcKeys.every(Boolean)) throw new ConfigError('invalid configuration: OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL go together');
  const province = e.DEPLOYMENT_PROVINCE ?? DEFAULT_PROVINCE;
  if (chinaDivisions.get(`${province}0000`)?.level !== 'province') throw new ConfigError(`invalid configuration: DEPLOYMENT_PROVINCE ${province} is not a province (table ${chinaDivisions.version})`);
  const databaseTls = databaseTlsOf(e);
  const kafkaSecurity = kafkaSecurityOf(e);
  return Object.freeze({
    port: e.PORT ? Number(e.PORT) : defaults.port,
    host: e.HOST ?? '0.0.0.0',
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, ...(databaseTls ? { tls: databaseTls } : {}) } : { dataDir: e.DATA_DIR ?? defaults.dataDir ?? './data' },
    ...(e.KAFKA_BROKERS
      ? {
          kafka: {
            brokers: e.KAFKA_BROKERS.split(','),
            partitions: Number(e.KAFKA_PARTITIONS ?? 3),
            replicationFactor: Number(e.KAFKA_REPLICATION_FACTOR ?? 1),
            ...(e.KAFKA_NAMESPACE ? { namespace: e.KAFKA_NAMESPACE } : {}),
            ...(kafkaSecurity.ssl ? { ssl: kafkaSecurity.ssl } : {}),
            ...(kafkaSecurity.sasl ? { sasl: kafkaSecurity.sasl } : {}),
          },
        }
      : {}),
    logLevel: e.LOG_LEVEL ?? 'info',
    province,
    ...(e.OIDC_ISSUER && e.OIDC_AUDIENCE && e.OIDC_JWKS_URL
      ? {
          oidc: {
            issuer: e.OIDC_ISSUER,
            audience: e.OIDC_AUDIENCE,
            jwksUrl: e.OIDC_JWKS_URL,
            claims: { role: e.OIDC_ROLE_CLAIM ?? 'fbl_role', institution: e.OIDC_INSTITUTION_CLAIM ?? 'fbl_institution', division: e.OIDC_DIVISION_CLAIM ?? 'fbl_division' },
          },
        }
      : {}),
  });
}
