/**
 * Matching over a large inventory: synthetic availability rows of thousands of institutions in
 * Shandong counties, ranked by the workflow's own `rankCandidates`: from the workflow's in-memory
 * availability view loaded from the projection table (the path a referral takes), and through the
 * projection query (the cold path, before the view is loaded).
 */
import { shandongDivisions } from '@fbl/codes';
import { fileURLToPath } from 'node:url';
import { inArray } from 'drizzle-orm';
import { openDatabase, type DatabaseConfig } from '../../packages/db/src/index.js';
import { createLogger } from '../../packages/observability/src/index.js';
import { AvailabilityView, providerOf } from '../../services/referral-workflow/src/adapters/db/availability-view.js';
import { availability } from '../../services/referral-workflow/src/adapters/db/schema.js';
import { rankCandidates, type MatchRequest, type ProviderAvailability } from '../../services/referral-workflow/src/domain/matching.js';
import type { BedTypeName } from '../../services/referral-workflow/src/domain/types.js';

/** The county-level division codes of Shandong the table knows. */
export function shandongCounties(): string[] {
  const counties: string[] = [];
  for (let city = 1; city <= 99; city++) {
    const code = `37${String(city).padStart(2, '0')}00`;
    if (shandongDivisions.has(code)) counties.push(...shandongDivisions.countiesOf(code).map((d) => d.code));
  }
  return counties;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A deterministic v4-shaped UUID from a counter, so rows and requests refer to each other. */
function uuidOf(prefix: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

const BED_TYPE_MIX: [BedTypeName, number][] = [
  ['care', 0.5],
  ['home-care', 0.2],
  ['home-sick', 0.15],
  ['medical', 0.1],
  ['hospice', 0.05],
];

/** The hospitals referrals leave from; some providers are their green-channel partners. */
const HOSPITALS = Array.from({ length: 50 }, (_, i) => uuidOf(0xb0, i));

/**
 * `institutions` availability rows, `unitsEach` free units each on average split over a few
 * attribute lines, in random Shandong counties.
 */
export function syntheticAvailability(institutions: number, unitsEach: number, random: () => number): ProviderAvailability[] {
  const counties = shandongCounties();
  const rows: ProviderAvailability[] = [];
  for (let i = 0; i < institutions; i++) {
    let r = random();
    const bedType = BED_TYPE_MIX.find(([, share]) => (r -= share) < 0)?.[0] ?? 'care';
    const divisionCode = pick(random, counties);
    const city = divisionCode.slice(0, 4);
    const neighbours = counties.filter((c) => c.startsWith(city));
    const kind = bedType === 'home-care' || bedType === 'home-sick' ? 'slot' : 'bed';
    // A few attribute lines whose free units add up to `unitsEach`.
    const lines = 2 + Math.floor(random() * 3);
    const units: ProviderAvailability['units'] = [];
    let left = unitsEach;
    for (let l = 0; l < lines; l++) {
      const free = l === lines - 1 ? left : Math.floor(random() * (left + 1));
      left -= free;
      const attributes: Record<string, string | boolean> =
        bedType === 'care'
          ? { nursingType: l % 2 === 0, ...(l === 2 ? { dementiaUnit: true } : {}) }
          : bedType === 'medical'
            ? { department: pick(random, ['老年医学科', '康复医学科', '内科']) }
            : { nursingType: l % 2 === 0 };
      units.push({ kind, attributes, free });
    }
    rows.push({
      institutionId: uuidOf(0xa0, i),
      bedType,
      name: `合成机构${String(i).padStart(5, '0')}`,
      divisionCode,
      capabilities: ['nursingType', 'ltciDesignated', 'integratedCare', 'dementiaCare'].filter(() => random() < 0.4),
      serviceArea: kind === 'slot' ? [divisionCode, ...neighbours.filter(() => random() < 0.3)] : [],
      greenChannelPartners: random() < 0.1 ? [pick(random, HOSPITALS)] : [],
      units,
    });
  }
  return rows;
}

const REQUEST_BED_TYPES: BedTypeName[][] = [['care'], ['care'], ['care', 'home-care'], ['home-care'], ['home-sick'], ['hospice'], ['care', 'home-care', 'home-sick', 'hospice', 'medical']];

/** A random matching request like the workflow makes. */
export function syntheticRequest(random: () => number, counties: readonly string[], asOf: Date): MatchRequest {
  const home = pick(random, counties);
  const origin = { institutionId: pick(random, HOSPITALS), divisionCode: pick(random, counties) };
  const assessed = new Date(asOf.getTime() - Math.floor(random() * 90) * 86_400_000).toISOString().slice(0, 10);
  return {
    bedTypes: pick(random, REQUEST_BED_TYPES),
    ...(random() < 0.5 ? { requirements: { nursingType: true } } : {}),
    facts: {
      abilityLevel: Math.floor(random() * 5),
      abilityAssessedOn: assessed,
      homeDivisionCode: home,
      ...(random() < 0.2 ? { ltciGrade: 1 + Math.floor(random() * 5), ltciAuthorised: true } : {}),
      ...(random() < 0.1 ? { terminalIllness: true, prognosisMonths: 3, kps: 40, informedChoice: 'elder' } : {}),
    },
    origin,
    urgency: random() < 0.1 ? 'green-channel' : 'routine',
    ltciFunded: false,
    excludeInstitutions: [origin.institutionId],
    maxOffers: 3,
    asOf,
  };
}

/** Time `rankCandidates` for each request (after a warm-up); returns milliseconds per call. */
export function timeRanking(requests: readonly MatchRequest[], providers: readonly ProviderAvailability[], warmUp = 50): { ms: number[]; candidates: number } {
  for (const request of requests.slice(0, warmUp)) rankCandidates(request, providers, shandongDivisions);
  const ms: number[] = [];
  let candidates = 0;
  for (const request of requests) {
    const started = performance.now();
    const result = rankCandidates(request, providers, shandongDivisions);
    ms.push(performance.now() - started);
    candidates += result.candidates.length;
  }
  return { ms, candidates };
}

const WORKFLOW_MIGRATIONS = fileURLToPath(new URL('../../services/referral-workflow/drizzle', import.meta.url));

/**
 * The projection query path as the workflow runs it when a referral enters matching: select the
 * availability rows of the asked bed types inside a transaction, map them, rank them. On a
 * database given by `config` (a throwaway PostgreSQL database, or PGlite in memory), migrated with
 * the workflow's own migrations and filled with `providers`.
 */
export async function timeProjectionPath(config: DatabaseConfig, providers: readonly ProviderAvailability[], requests: readonly MatchRequest[]): Promise<{ ms: number[]; queryMs: number[] }> {
  const database = await filledDatabase(config, providers);
  try {
    const ms: number[] = [];
    const queryMs: number[] = [];
    for (const [i, request] of requests.entries()) {
      const started = performance.now();
      let queried = 0;
      await database.transaction(async (tx) => {
        const rows = await tx.select().from(availability).where(inArray(availability.bedType, request.bedTypes)).orderBy(availability.institutionId);
        queried = performance.now();
        const mapped: ProviderAvailability[] = rows.map(providerOf);
        rankCandidates(request, mapped, shandongDivisions);
      });
      // The first few warm the caches and the JIT; they are not counted.
      if (i >= 5) {
        ms.push(performance.now() - started);
        queryMs.push(queried - started);
      }
    }
    return { ms, queryMs };
  } finally {
    await database.close();
  }
}

/** A database given by `config`, migrated with the workflow's own migrations and filled with `providers`. */
async function filledDatabase(config: DatabaseConfig, providers: readonly ProviderAvailability[]) {
  const database = await openDatabase(config, { poolSize: 2 });
  await database.migrate({ folder: WORKFLOW_MIGRATIONS, table: 'referral_migrations' });
  const now = new Date();
  for (let i = 0; i < providers.length; i += 500) {
    await database.db.insert(availability).values(providers.slice(i, i + 500).map((p) => ({ ...p, sequence: 1, units: p.units, updatedAt: now })));
  }
  return database;
}

/**
 * The path a referral takes when it enters matching: the providers of the asked bed types from
 * the workflow's in-memory availability view (its own class, loaded from the projection table on
 * a database given by `config`), ranked. Returns milliseconds per request (after a warm-up) and
 * how long loading the view took.
 */
export async function timeViewPath(config: DatabaseConfig, providers: readonly ProviderAvailability[], requests: readonly MatchRequest[], warmUp = 50): Promise<{ ms: number[]; loadMs: number; candidates: number }> {
  const database = await filledDatabase(config, providers);
  try {
    const view = new AvailabilityView(database, createLogger({ name: 'bench-matching', level: 'silent' }));
    const loading = performance.now();
    await view.reload();
    const loadMs = performance.now() - loading;
    const rank = (request: MatchRequest) => rankCandidates(request, view.providers(request.bedTypes)!, shandongDivisions);
    for (const request of requests.slice(0, warmUp)) rank(request);
    const ms: number[] = [];
    let candidates = 0;
    for (const request of requests) {
      const started = performance.now();
      candidates += rank(request).candidates.length;
      ms.push(performance.now() - started);
    }
    return { ms, loadMs, candidates };
  } finally {
    await database.close();
  }
}
