import { compileChecker, describeFieldErrors } from '@fbl/contracts';
import { ConfigError, readProcessConfig } from '@fbl/service-kit';
import Type from 'typebox';
import type { Upstreams } from './routes.js';

const UpstreamEnv = Type.Object({
  REFERRAL_WORKFLOW_URL: Type.String({ pattern: '^https?://' }),
  CARE_BEDS_URL: Type.String({ pattern: '^https?://' }),
});
const checker = compileChecker<{ REFERRAL_WORKFLOW_URL: string; CARE_BEDS_URL: string }>(UpstreamEnv);

/** Configuration of the gateway process in the distributed mode. */
export function readGatewayConfig(env: Record<string, string | undefined>) {
  const process = readProcessConfig(env, { port: 3000 });
  const picked = { REFERRAL_WORKFLOW_URL: env['REFERRAL_WORKFLOW_URL'], CARE_BEDS_URL: env['CARE_BEDS_URL'] };
  if (!checker.check(picked)) throw new ConfigError(`invalid gateway configuration: ${describeFieldErrors(checker.errors(picked))}`);
  const upstreams: Upstreams = { 'referral-workflow': picked.REFERRAL_WORKFLOW_URL, 'care-beds': picked.CARE_BEDS_URL };
  return Object.freeze({ ...process, upstreams });
}

/** The gateway's configuration, read once from the environment. */
export const loadConfig = () => readGatewayConfig(process.env);
