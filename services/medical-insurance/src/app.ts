import type { TokenKey } from '@fbl/auth';
import { Sealer, suiteOf, type SealingKeys } from '@fbl/privacy';
import { commandsTopic, eventsTopic, MEDICAL_INSURANCE } from '@fbl/contracts';
import { ServiceKit, type ServiceDefinition, type ServiceDeps } from '@fbl/service-kit';
import { fileURLToPath } from 'node:url';
import { AuditLog } from './adapters/db/audit-log.js';
import { messaging } from './adapters/db/schema.js';
import { medicalInsuranceRoutes } from './adapters/http/routes.js';
import { medicalInsuranceHandlers } from './adapters/messages/handlers.js';
import { SERVICE } from './application/application-effects.js';
import { HomeSickBedFilings } from './application/home-sick-bed-filings.js';
import { LtciApplications } from './application/ltci-applications.js';
import { insuranceRules, type InsuranceRules } from './domain/rules.js';

/** The medical-insurance service as a definition any process can host. */
export interface MedicalInsuranceService extends ServiceDefinition {
  ltci: LtciApplications;
  filings: HomeSickBedFilings;
  rules: InsuranceRules;
}

/** What the service needs besides the process's dependencies. */
export interface MedicalInsuranceOptions {
  /** The secret that signs and verifies users' tokens. */
  authSecret: TokenKey;
  /** The key that seals health data at rest (PII_ENCRYPTION_KEY, 32 bytes, base64), or the suite (CRYPTO_SUITE), key and keys of before a rotation. */
  encryptionKey: string | SealingKeys;
  /** Rules that differ from the defaults of DOMAIN.md §3 (threshold, notice, bars, grading, payment). */
  rules?: Partial<InsuranceRules>;
}

/** Build the medical-insurance service (医保) on the given dependencies. */
export function medicalInsuranceService(deps: ServiceDeps, options: MedicalInsuranceOptions): MedicalInsuranceService {
  const kit = new ServiceKit(SERVICE, messaging, deps);
  const rules = insuranceRules(options.rules);
  const audit = new AuditLog(kit.ports);
  const ltci = new LtciApplications(kit.ports, rules, audit, new Sealer(options.encryptionKey));
  const filings = new HomeSickBedFilings(kit.ports, audit);
  return {
    name: SERVICE,
    kit,
    ltci,
    filings,
    rules,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    migrationsTable: 'medical_insurance_migrations',
    routes: medicalInsuranceRoutes(kit, { ltci, filings, audit }, options.authSecret),
    // Assessments stored before their answers were sealed are sealed once the service runs.
    auditChain: { logs: [{ schema: 'medical_insurance', log: 'audit_log' }], suite: suiteOf(options.encryptionKey) },
    jobs: [
      {
        start: () => {
          void ltci.sealPlainAnswers().then(
            (sealed) => sealed > 0 && kit.logger.info({ sealed }, 'plain LTCI answers sealed'),
            (error: unknown) => kit.logger.error({ err: error }, 'sealing plain LTCI answers failed'),
          );
        },
        stop: async () => {},
      },
    ],
    // Its own commands topic carries AuthoriseLtci, FileHomeSickBed and its timers' LtciDeadlineDue.
    consumers: [{ group: SERVICE, handlers: medicalInsuranceHandlers(ltci, filings), topics: [commandsTopic(MEDICAL_INSURANCE)] }],
    produces: [eventsTopic(MEDICAL_INSURANCE), commandsTopic(MEDICAL_INSURANCE)],
  };
}
