/**
 * `pnpm bench`: drives the running system and prints one JSON line per figure on stdout
 * (ARCHITECTURE §10); progress for people goes to stderr. Never part of `pnpm test`.
 *
 * Phases, in order (each on an otherwise quiet machine, so they do not disturb each other):
 *   1. matching latency over a large synthetic inventory (in memory, no infrastructure);
 *   2. the embedded process: cold start to ready, referral lifecycles end to end, step latency,
 *      peak memory;
 *   3. Kafka and PostgreSQL provided as the tests provide them (env, else the infra scripts);
 *   4. the PostgreSQL yardstick (single-row insert commits/s, 1 and 4 clients) and the matching
 *      projection query path, on a throwaway database;
 *   5. dashboard queries of the monitoring service over 1,000,000 referrals, on a throwaway database
 *      of the same server (p95 per metric and filter, with the data size);
 *   6. the gateway's own CPU per forwarded request, beside a bare Node proxy to the same stub
 *      upstream in the same run;
 *   7. the distributed system (care-beds, referral-workflow, gateway as separate processes over
 *      Kafka and PostgreSQL): lifecycles, step latency, messages handled per second; then a burst
 *      of events straight onto Kafka to see the workflow's consumer at saturation.
 *
 * It fails only when the system misbehaves (a referral goes astray or never closes within a
 * generous deadline, a service does not start); a slow figure is printed, never an error.
 *
 * Settings (environment): BENCH_REFERRALS (200), BENCH_CONCURRENCY (20), BENCH_WARMUP (20),
 * BENCH_POLL_MS (10), BENCH_LIVE (1: wait on the live-update stream; 0: poll), BENCH_STEP_TIMEOUT_MS (120000), BENCH_FLOOD (20000), BENCH_SEED, BENCH_ONLY (comma list of
 * matching, embedded, yardstick, dashboard, gateway, distributed), BENCH_GATEWAY_REQUESTS (5000), BENCH_GATEWAY_LOG_LEVEL (info), BENCH_DASHBOARD_REFERRALS (1000000), BENCH_DASHBOARD_RUNS (20), BENCH_CPU_PROF_DIR (run the distributed workflow and gateway
 * and the embedded load process under `node --cpu-prof` and summarise the profiles), BENCH_YARDSTICK=loop (no pgbench),
 * KAFKA_BROKERS / DATABASE_URL (use these instead of starting throwaway servers).
 */
import { createTestDatabase, provideKafka, providePostgres, type InfraHandle, type TestDatabase } from '@fbl/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, startService, type ServiceProcess } from '../support/processes.js';
import { generateKey } from '@fbl/privacy';
import { BENCH_AUTH_SECRET, messagesHandled, registerCareHomes, runLifecycles, STEPS, type LoadResult } from './lifecycle.js';
import { shandongCounties, syntheticAvailability, syntheticRequest, timeProjectionPath, timeRanking, timeViewPath } from './matching.js';
import { dashboardPhase } from './dashboard.js';
import { drainBacklog, floodAvailability, publishAvailability } from './flood.js';
import { cpuMsPerRequest, drive, stubUpstream } from './gateway.js';
import { signToken } from '@fbl/auth';
import { cpuAccount, kafkaBrokerPid, processTree, sampleMemory } from './proc.js';
import { formatSummary, summariseProfiles } from './profile.js';
import { pgActivity, postmasterPid } from './pgstats.js';
import { figure, log, printed, prng, secondsSince, summarise } from './report.js';
import { measureYardstick, prepareYardstick, type Yardstick } from './yardstick.js';

const numberFromEnv = (key: string, fallback: number): number => {
  const value = Number(process.env[key]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const REFERRALS = numberFromEnv('BENCH_REFERRALS', 200);
const CONCURRENCY = numberFromEnv('BENCH_CONCURRENCY', 20);
const WARMUP = numberFromEnv('BENCH_WARMUP', 20);
const POLL_MS = numberFromEnv('BENCH_POLL_MS', 10);
/** Wait on the live-update stream as the UI does (BENCH_LIVE=0: poll every referral instead). */
const LIVE = process.env['BENCH_LIVE'] !== '0';
const STEP_TIMEOUT_MS = numberFromEnv('BENCH_STEP_TIMEOUT_MS', 120_000);
const SEED = numberFromEnv('BENCH_SEED', 20261122);
const FLOOD = numberFromEnv('BENCH_FLOOD', 20_000);
const DASHBOARD_REFERRALS = numberFromEnv('BENCH_DASHBOARD_REFERRALS', 1_000_000);
const DASHBOARD_RUNS = numberFromEnv('BENCH_DASHBOARD_RUNS', 20);
const GATEWAY_REQUESTS = numberFromEnv('BENCH_GATEWAY_REQUESTS', 5000);
/** The gateway of the gateway phase logs at a deployment's default level unless told otherwise. */
const GATEWAY_LOG_LEVEL = process.env['BENCH_GATEWAY_LOG_LEVEL'] ?? 'info';
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'matching,embedded,yardstick,dashboard,gateway,distributed').split(',').map((s) => s.trim()));
const PROFILE_DIR = process.env['BENCH_CPU_PROF_DIR'] ? resolve(process.env['BENCH_CPU_PROF_DIR']) : undefined;

/** Targets of the benchmark issue. */
/** The performance targets of the project (issue 17's table), each printed beside its figure. */
const TARGETS = {
  lifecyclesDistributed: { op: '>=', value: 60 },
  cpuMsPerLifecycle: { op: '<=', value: 25 },
  consumerSaturationRatio: { op: '>=', value: 1.5 },
  stepP99Ms: { op: '<=', value: 100 },
  unloadedStepP99Ms: { op: '<=', value: 50 },
  matchingP95Ms: { op: '<=', value: 5 },
  coldStartS: { op: '<=', value: 4 },
  peakMemoryMb: { op: '<=', value: 400 },
  totalS: { op: '<=', value: 600 },
} as const;

/** What to undo at the end (or on Ctrl-C), last first. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
function onCleanup(what: string, run: () => Promise<unknown>): () => Promise<void> {
  const entry = { what, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await run();
  };
}
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const { what, run } = cleanups.pop()!;
    await run().catch((error: unknown) => log(`cleanup of ${what} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** Start a service and make sure it is stopped at the end whatever happens; returns it and its stop. */
async function service(name: string, entry: Parameters<typeof startService>[1], env: Record<string, string>): Promise<{ proc: ServiceProcess; stop: () => Promise<void> }> {
  const proc = await startService(name, entry, env, { timeoutMs: 180_000 });
  const stop = onCleanup(name, async () => {
    // A graceful stop, then SIGKILL if it hangs.
    const code = await Promise.race([proc.stop('SIGTERM'), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000).unref())]);
    if (code === 'hung') {
      log(`${name} did not stop within 30 s; killing it; last output:\n${proc.output().slice(-2000)}`);
      await proc.stop('SIGKILL');
    } else if (code !== 0) {
      log(`${name} exited with ${String(code)} on SIGTERM; last output:\n${proc.output().slice(-2000)}`);
    }
  });
  return { proc, stop };
}

// Embedded processes get PGlite and the in-process bus whatever this shell exports.
// Every process the bench starts verifies the bench's tokens; the embedded one also seals personal data with these keys.
const EMBEDDED_ENV = { DATABASE_URL: '', KAFKA_BROKERS: '', KAFKA_NAMESPACE: '', AUTH_SECRET: BENCH_AUTH_SECRET, PII_ENCRYPTION_KEY: generateKey(), PII_HASH_KEY: generateKey() };

/** An entry point to start, under `node --cpu-prof` writing into `profileDir` when one is given. */
function profiledEntry(entry: string, profileDir: string | undefined): Parameters<typeof startService>[1] {
  return profileDir ? { command: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', `${ROOT}/${entry}`] } : entry;
}

/** The compiled embedded system, as `pnpm start` runs it (its flags as the start script's, with EMBEDDED_HEAP_MB unset). */
const EMBEDDED_ENTRY = 'services/embedded/dist/bundle/main.js';
const EMBEDDED_FLAGS = ['--conditions=fbl-compiled', '--max-old-space-size=256'];

/** The compiled embedded system's command, under `node --cpu-prof` writing into `profileDir` when one is given. */
function compiledEntry(profileDir: string | undefined): { command: string; args: string[] } {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return { command: process.execPath, args: [...profiling, ...EMBEDDED_FLAGS, `${ROOT}/${EMBEDDED_ENTRY}`] };
}

/** Print the figures of one lifecycle run. */
function reportLoad(mode: 'embedded' | 'distributed', result: LoadResult, cpuSeconds: Record<string, number>, context: Record<string, unknown>): void {
  // The system under test and the bench's own clients; not what else ran on the machine.
  const busy = Object.entries(cpuSeconds).filter(([k]) => k !== 'idle' && k !== 'rest of machine').reduce((n, [, v]) => n + v, 0);
  figure(`${mode}.lifecycles_per_s`, result.lifecyclesPerSecond, 'lifecycles/s', {
    referrals: result.referrals,
    concurrency: CONCURRENCY,
    seconds: result.seconds,
    httpRequestsPerLifecycle: result.httpRequests / result.referrals,
    pollsPerLifecycle: result.polls / result.referrals,
    readsPerLifecycle: result.reads / result.referrals,
    waitedOn: result.live ? `the live-update stream (${result.live.events} events, ${result.live.streams} stream(s), ${result.live.resyncs} resync(s))` : 'polls',
    cpuSeconds,
    cpuMsPerLifecycle: (busy * 1000) / result.referrals,
    ...context,
  }, mode === 'distributed' ? TARGETS.lifecyclesDistributed : undefined);
  figure(`${mode}.cpu_ms_per_lifecycle`, (busy * 1000) / result.referrals, 'CPU-ms', { of: 'every process of the system under test and the bench client, not the rest of the machine', cpuSeconds }, mode === 'distributed' ? TARGETS.cpuMsPerLifecycle : undefined);
  for (const step of STEPS) {
    const s = summarise(result.steps[step]);
    figure(`${mode}.step_latency.${step}`, s.p99, 'ms', { stat: 'p99', p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean, max: s.max, n: s.n, pollMs: POLL_MS }, TARGETS.stepP99Ms);
  }
  const life = summarise(result.lifecycleMs);
  figure(`${mode}.lifecycle_latency`, life.p50, 'ms', { stat: 'p50', p50: life.p50, p95: life.p95, p99: life.p99, max: life.max, n: life.n, note: 'intake to closed, including the bench acting for people' });
}

/**
 * The warm-up: `WARMUP` referrals one at a time, which also gives the step latency of an unloaded
 * system (the service time of each step without queueing behind other referrals).
 */
async function warmUp(mode: 'embedded' | 'distributed', baseUrl: string): Promise<void> {
  log(`${mode}: warm-up of ${WARMUP} referrals one at a time (unloaded step latency)`);
  const result = await runLifecycles({ baseUrl, referrals: WARMUP, concurrency: 1, stepTimeoutMs: STEP_TIMEOUT_MS, pollMs: POLL_MS, label: `${mode}-warmup`, live: LIVE });
  const steps = Object.fromEntries(STEPS.map((step) => [step, summarise(result.steps[step])]));
  const worst = Math.max(...Object.values(steps).map((s) => s.p99));
  figure(`${mode}.step_latency_unloaded`, worst, 'ms', {
    stat: 'worst step p99 at concurrency 1',
    steps: Object.fromEntries(Object.entries(steps).map(([step, s]) => [step, { p50: s.p50, p99: s.p99 }])),
    lifecycleP50: summarise(result.lifecycleMs).p50,
    n: WARMUP,
    pollMs: POLL_MS,
  }, TARGETS.unloadedStepP99Ms);
}

async function matchingPhase(): Promise<void> {
  log('matching: building 5,000 synthetic institutions (100,000 units) in Shandong counties');
  const random = prng(SEED);
  const providers = syntheticAvailability(5000, 20, random);
  const counties = shandongCounties();
  const asOf = new Date();
  const requests = Array.from({ length: 500 }, () => syntheticRequest(random, counties, asOf));
  const units = providers.reduce((n, p) => n + p.units.reduce((m, u) => m + u.free, 0), 0);

  // The path a referral takes: the workflow's in-memory availability view, loaded from the projection table.
  log('matching: from the in-memory availability view (loaded from the projection on PGlite)');
  const viewed = await timeViewPath({ dataDir: 'memory' }, providers, requests);
  const v = summarise(viewed.ms);
  figure('matching.view_path', v.p95, 'ms', { stat: 'p95', p50: v.p50, p99: v.p99, max: v.max, mean: v.mean, requests: v.n, institutions: providers.length, units, counties: counties.length, viewLoadMs: viewed.loadMs, path: "the workflow's AvailabilityView (per process, refreshed by availability events) + rankCandidates: what a referral entering matching runs" }, TARGETS.matchingP95Ms);

  const timed = timeRanking(requests, providers);
  const s = summarise(timed.ms);
  figure('matching.rank_candidates', s.p95, 'ms', { stat: 'p95', p50: s.p50, p99: s.p99, max: s.max, mean: s.mean, requests: s.n, institutions: providers.length, units, counties: counties.length, path: 'rankCandidates alone, over every provider in memory' });

  log('matching: cold path (the projection query, before the view is loaded) on PGlite (in memory)');
  const pglite = await timeProjectionPath({ dataDir: 'memory' }, providers, requests.slice(0, 105));
  const p = summarise(pglite.ms);
  const q = summarise(pglite.queryMs);
  figure('matching.projection_path.pglite', p.p95, 'ms', { stat: 'p95', p50: p.p50, p99: p.p99, max: p.max, requests: p.n, queryP50: q.p50, queryP95: q.p95, institutions: providers.length, units, path: 'cold path: select availability of the bed types in a transaction + map + rankCandidates (embedded mode)' });
}

async function projectionOnPostgres(databaseUrl: string): Promise<void> {
  log('matching: cold path (the projection query) on PostgreSQL');
  const random = prng(SEED);
  const providers = syntheticAvailability(5000, 20, random);
  const counties = shandongCounties();
  const asOf = new Date();
  const requests = Array.from({ length: 105 }, () => syntheticRequest(random, counties, asOf));
  const timed = await timeProjectionPath({ url: databaseUrl }, providers, requests);
  const p = summarise(timed.ms);
  const q = summarise(timed.queryMs);
  figure('matching.projection_path.postgres', p.p95, 'ms', { stat: 'p95', p50: p.p50, p99: p.p99, max: p.max, requests: p.n, queryP50: q.p50, queryP95: q.p95, institutions: providers.length, units: 100_000, path: 'cold path: select availability of the bed types in a transaction + map + rankCandidates (distributed mode)' });
}

async function embeddedPhase(): Promise<void> {
  // `pnpm start` compiles the TypeScript once (a no-op while nothing changed) and runs the compiled system.
  const compileStarted = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'infra/compile.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`embedded: compiled (or found up to date) in ${secondsSince(compileStarted).toFixed(2)} s`);
  // Cold start of the embedded process as `pnpm start` runs it (with its demo network), fresh folder.
  {
    const dataDir = await mkdtemp(join(tmpdir(), 'fbl-bench-embedded-demo-'));
    const removeDir = onCleanup('embedded demo data dir', () => rm(dataDir, { recursive: true, force: true }));
    log(`embedded: cold start of ${EMBEDDED_ENTRY} (demo data on) with a fresh DATA_DIR`);
    const snapshotsBefore = await migratedSnapshots();
    const started = performance.now();
    const { proc, stop } = await service('embedded (main.js)', compiledEntry(undefined), { ...EMBEDDED_ENV, DATA_DIR: dataDir });
    const seconds = secondsSince(started);
    const schemas = (await migratedSnapshots()) > snapshotsBefore ? 'migrated at this start, then kept as a snapshot' : 'copied from the migrated snapshot';
    figure('embedded.cold_start_to_ready', seconds, 's', { entry: `node ${EMBEDDED_FLAGS.join(' ')} ${EMBEDDED_ENTRY}`, demoData: true, dataDir: 'fresh temp folder (PGlite)', schemas, pollMs: 200, url: proc.url }, TARGETS.coldStartS);
    await stop();
    await removeDir();
  }

  // The process the load runs against: the same start without demo data.
  const dataDir = await mkdtemp(join(tmpdir(), 'fbl-bench-embedded-'));
  const removeDir = onCleanup('embedded data dir', () => rm(dataDir, { recursive: true, force: true }));
  log(`embedded: cold start of ${EMBEDDED_ENTRY} with DEMO_DATA=0 and a fresh DATA_DIR`);
  const started = performance.now();
  const profileDir = PROFILE_DIR ? await freshDir(join(PROFILE_DIR, 'embedded')) : undefined;
  const { proc, stop } = await service('embedded (no demo data)', compiledEntry(profileDir), { ...EMBEDDED_ENV, DATA_DIR: dataDir, DEMO_DATA: '0' });
  const coldSeconds = secondsSince(started);
  figure('embedded.cold_start_to_ready.no_demo', coldSeconds, 's', { entry: `DEMO_DATA=0 node ${EMBEDDED_FLAGS.join(' ')} ${EMBEDDED_ENTRY}`, dataDir: 'fresh temp folder (PGlite)', schemas: 'copied from the migrated snapshot', pollMs: 200 }, TARGETS.coldStartS);
  const pid = proc.child.pid!;
  const memory = sampleMemory(pid, 200);

  const homes = await registerCareHomes(proc.url, 4, 250, 'E');
  log(`embedded: ${homes.length} care homes of 250 beds registered`);
  await warmUp('embedded', proc.url);
  const before = await messagesHandled(proc.url);
  log(`embedded: ${REFERRALS} referrals at a concurrency of ${CONCURRENCY}`);
  const cpu = cpuAccount({ embedded: pid });
  const result = await runLifecycles({ baseUrl: proc.url, referrals: REFERRALS, concurrency: CONCURRENCY, stepTimeoutMs: STEP_TIMEOUT_MS, pollMs: POLL_MS, label: 'embedded', live: LIVE });
  const cpuSeconds = cpu.stop();
  const after = await messagesHandled(proc.url);
  const mem = memory.stop();

  reportLoad('embedded', result, cpuSeconds, { database: 'PGlite in a temp folder', bus: 'in process', process: 'one node process (spawned)', profiled: profileDir !== undefined });
  const handled = after.handled - before.handled;
  figure('embedded.messages_per_s', handled / result.seconds, 'messages/s', { handled, allOutcomes: after.all - before.all, seconds: result.seconds, messagesPerLifecycle: handled / result.referrals });
  const peakMb = Math.max(mem.peakRssKb, mem.hwmKb) / 1024;
  figure('embedded.peak_memory', peakMb, 'MB', { source: '/proc/<pid>/status', rssAtReadyMb: mem.firstRssKb / 1024, sampledPeakRssMb: mem.peakRssKb / 1024, vmHwmMb: mem.hwmKb / 1024, samples: mem.samples, everyMs: 200, during: `warm-up + ${REFERRALS} lifecycles` }, TARGETS.peakMemoryMb);
  await stop();
  await removeDir();
  if (profileDir) log(`embedded: CPU profile of the embedded process (${profileDir})\n${formatSummary(await summariseProfiles(profileDir, 30))}`);
}

/** How many migrated PGlite snapshots the installation keeps (`packages/db/src/pglite-folder.ts`). */
async function migratedSnapshots(): Promise<number> {
  const names = await readdir(join(ROOT, 'packages/db/node_modules/.cache/pglite-templates')).catch(() => [] as string[]);
  return names.filter((n) => /-migrated-[0-9a-f]+$/.test(n)).length;
}

/** An empty folder at `path`. */
async function freshDir(path: string): Promise<string> {
  await rm(path, { recursive: true, force: true });
  await mkdir(path, { recursive: true });
  return path;
}

/**
 * The gateway's CPU per forwarded, authenticated request against a bare Node proxy's (the
 * yardstick) to the same stub upstream: both warmed up, then measured twice in turn so drift of
 * a shared machine falls on both. The gateway runs as in the distributed mode (its accounts on
 * `serverUrl`, else PGlite in a temporary folder; LOG_LEVEL=warn).
 */
async function gatewayPhase(serverUrl: string | undefined): Promise<void> {
  const upstream = await stubUpstream();
  const closeUpstream = onCleanup('stub upstream', () => upstream.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'fbl-bench-gateway-'));
  const removeDir = onCleanup('gateway data dir', () => rm(dataDir, { recursive: true, force: true }));
  const db = serverUrl ? await createTestDatabase('bench_gateway_proxy', serverUrl) : undefined;
  const dropDb = db ? onCleanup(`database ${db.name}`, () => db.drop()) : async () => {};
  const profileDir = PROFILE_DIR ? await freshDir(join(PROFILE_DIR, 'gateway-proxy')) : undefined;
  log(`gateway: starting the gateway${profileDir ? ' under --cpu-prof' : ''} (LOG_LEVEL ${GATEWAY_LOG_LEVEL}) and a bare proxy in front of a stub upstream`);
  const [gateway, bare] = await Promise.all([
    service('gateway', profiledEntry('services/gateway/src/main.ts', profileDir), { ...EMBEDDED_ENV, REFERRAL_WORKFLOW_URL: upstream.url, DATA_DIR: dataDir, DATABASE_URL: db?.url ?? '', LOG_LEVEL: GATEWAY_LOG_LEVEL }),
    service('bare proxy', 'tests/load/bare-proxy.ts', { UPSTREAM_URL: upstream.url }),
  ]);
  const planner = signToken({ userId: 'bench-planner', role: 'planner', institutionId: '0192f3b2-7c1a-7000-8000-00000000be4c' }, BENCH_AUTH_SECRET, { now: new Date(), ttlSeconds: 6 * 3600 });
  const path = '/api/referrals/0192f3b2-7c1a-7000-8000-00000000beef';
  const targets = { gateway: gateway.proc, 'bare proxy': bare.proc };
  log(`gateway: warm-up, ${GATEWAY_REQUESTS} requests through each`);
  for (const proc of Object.values(targets)) await drive(proc.url, path, planner, GATEWAY_REQUESTS, CONCURRENCY);
  const measured = { gateway: { cpuMs: 0, seconds: 0 }, 'bare proxy': { cpuMs: 0, seconds: 0 } };
  for (let round = 0; round < 2; round++) {
    for (const [name, proc] of Object.entries(targets) as [keyof typeof targets, ServiceProcess][]) {
      log(`gateway: round ${round + 1}, ${GATEWAY_REQUESTS} requests through the ${name}`);
      const m = await cpuMsPerRequest(proc.child.pid!, () => drive(proc.url, path, planner, GATEWAY_REQUESTS, CONCURRENCY), GATEWAY_REQUESTS);
      measured[name].cpuMs += m.cpuMs / 2;
      measured[name].seconds += m.seconds;
    }
  }
  const context = { request: 'GET /api/referrals/:id with a planner token', upstream: 'stub answering ~3 KB of JSON at once', requests: GATEWAY_REQUESTS * 2, concurrency: CONCURRENCY, gatewayLogLevel: GATEWAY_LOG_LEVEL, profiled: profileDir !== undefined };
  const g = measured.gateway;
  const b = measured['bare proxy'];
  figure('gateway.cpu_ms_per_request', g.cpuMs, 'CPU-ms', { ...context, requestsPerSecond: (GATEWAY_REQUESTS * 2) / g.seconds, process: 'services/gateway/src/main.ts' });
  figure('gateway.bare_proxy_cpu_ms_per_request', b.cpuMs, 'CPU-ms', { ...context, requestsPerSecond: (GATEWAY_REQUESTS * 2) / b.seconds, process: 'tests/load/bare-proxy.ts (node:http, keep-alive agent)' });
  figure('gateway.cpu_vs_bare_proxy', g.cpuMs / b.cpuMs, 'ratio', { gatewayCpuMs: g.cpuMs, bareProxyCpuMs: b.cpuMs });
  await Promise.all([gateway.stop(), bare.stop()]);
  await Promise.all([closeUpstream(), removeDir(), dropDb()]);
  if (profileDir) log(`gateway: CPU profile of the gateway (${profileDir})\n${formatSummary(await summariseProfiles(profileDir, 30))}`);
}

async function distributedPhase(brokers: string, serverUrl: string, yardstick: Yardstick | undefined): Promise<void> {
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  const databases: TestDatabase[] = [];
  const database = async (prefix: string) => {
    const db = await createTestDatabase(prefix, serverUrl);
    databases.push(db);
    onCleanup(`database ${db.name}`, () => db.drop());
    return db;
  };
  const careBedsDb = await database('bench_care_beds');
  const referralDb = await database('bench_referral');
  // The services that seal personal and health data need their keys, as in a deployment.
  const kafka = { KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: namespace, AUTH_SECRET: BENCH_AUTH_SECRET, PII_ENCRYPTION_KEY: generateKey(), PII_HASH_KEY: generateKey() };
  const profileDir = PROFILE_DIR ? await freshDir(join(PROFILE_DIR, 'referral-workflow')) : undefined;
  const workflowEntry = profiledEntry('services/referral-workflow/src/main.ts', profileDir);
  log(`distributed: starting care-beds and referral-workflow (namespace ${namespace})${PROFILE_DIR ? ', the workflow under --cpu-prof' : ''}`);
  const started = performance.now();
  const [careBeds, workflow] = await Promise.all([
    service('care-beds', 'services/care-beds/src/main.ts', { DATABASE_URL: careBedsDb.url, ...kafka }),
    service('referral-workflow', workflowEntry, { DATABASE_URL: referralDb.url, ...kafka }),
  ]);
  const gatewayDb = await database('bench_gateway');
  const gatewayProfileDir = PROFILE_DIR ? await freshDir(join(PROFILE_DIR, 'gateway')) : undefined;
  const gatewayEntry = profiledEntry('services/gateway/src/main.ts', gatewayProfileDir);
  const gateway = await service('gateway', gatewayEntry, { CARE_BEDS_URL: careBeds.proc.url, REFERRAL_WORKFLOW_URL: workflow.proc.url, ...EMBEDDED_ENV, DATABASE_URL: gatewayDb.url });
  log(`distributed: ready after ${secondsSince(started).toFixed(1)} s`);

  const url = gateway.proc.url;
  const homes = await registerCareHomes(url, 4, 250, 'D');
  log(`distributed: ${homes.length} care homes of 250 beds registered`);
  await warmUp('distributed', url);
  const before = await Promise.all([messagesHandled(workflow.proc.url), messagesHandled(careBeds.proc.url)]);
  log(`distributed: ${REFERRALS} referrals at a concurrency of ${CONCURRENCY}`);
  const pg = await pgActivity(serverUrl, { 'referral-workflow': { name: referralDb.name, url: referralDb.url }, 'care-beds': { name: careBedsDb.name, url: careBedsDb.url } });
  const outputBefore = { 'referral-workflow': workflow.proc.output().length, 'care-beds': careBeds.proc.output().length, gateway: gateway.proc.output().length };
  // PostgreSQL and Kafka by process when they run on this machine (not other servers that may run here).
  const postmaster = await postmasterPid(serverUrl);
  const broker = kafkaBrokerPid(brokers.split(',')[0]!.split(':').pop()!);
  const cpu = cpuAccount(
    { 'referral-workflow': workflow.proc.child.pid!, 'care-beds': careBeds.proc.child.pid!, gateway: gateway.proc.child.pid! },
    { ...(postmaster ? { PostgreSQL: () => processTree(postmaster) } : {}), ...(broker ? { Kafka: () => [broker] } : {}) },
  );
  const result = await runLifecycles({ baseUrl: url, referrals: REFERRALS, concurrency: CONCURRENCY, stepTimeoutMs: STEP_TIMEOUT_MS, pollMs: POLL_MS, label: 'distributed', live: LIVE });
  const cpuSeconds = cpu.stop();
  const pgPerLifecycle = await pg.stop(result.referrals);
  // Anything the services logged at warn or above during the load (LOG_LEVEL=warn).
  const logLines: Record<string, number> = {};
  for (const [name, proc] of [['referral-workflow', workflow.proc], ['care-beds', careBeds.proc], ['gateway', gateway.proc]] as const) {
    const text = proc.output().slice(outputBefore[name]);
    logLines[name] = text.split('\n').filter((l) => l.trim() !== '').length;
    if (logLines[name] > 0) log(`distributed: ${name} logged ${logLines[name]} line(s) during the load; the last:\n${text.slice(-1500)}`);
  }
  const after = await Promise.all([messagesHandled(workflow.proc.url), messagesHandled(careBeds.proc.url)]);

  reportLoad('distributed', result, cpuSeconds, { pgPerLifecycle, logLines, database: 'PostgreSQL (one database per service)', bus: 'Kafka (3 partitions, 1 replica)', processes: 'care-beds, referral-workflow, gateway', profiled: profileDir !== undefined });
  const workflowHandled = after[0].handled - before[0].handled;
  const careBedsHandled = after[1].handled - before[1].handled;
  const perSecond = (workflowHandled + careBedsHandled) / result.seconds;
  figure('distributed.messages_per_s', perSecond, 'messages/s', {
    workflow: workflowHandled,
    careBeds: careBedsHandled,
    allOutcomes: after[0].all - before[0].all + (after[1].all - before[1].all),
    seconds: result.seconds,
    messagesPerLifecycle: (workflowHandled + careBedsHandled) / result.referrals,
    profiled: profileDir !== undefined,
  });
  if (yardstick) {
    figure('distributed.messages_per_s_vs_commit_rate', perSecond / yardstick.commitsPerSecond, 'ratio', { messagesPerSecond: perSecond, singleClientCommitsPerSecond: yardstick.commitsPerSecond, yardstickTool: yardstick.tool });
  }

  // Consumer saturation: a burst of availability events straight onto the topic the workflow reads.
  log(`distributed: consumer saturation — ${FLOOD} BedAvailabilityChanged events published at once`);
  const floodCpu = cpuAccount({ 'referral-workflow': workflow.proc.child.pid! }, { ...(postmaster ? { PostgreSQL: () => processTree(postmaster) } : {}), ...(broker ? { Kafka: () => [broker] } : {}) });
  const flooded = await floodAvailability({ brokers, namespace, consumerUrl: workflow.proc.url, count: FLOOD });
  const floodCpuSeconds = floodCpu.stop();
  figure('distributed.consumer_saturation.messages_per_s', flooded.perSecond, 'messages/s', {
    consumer: 'referral-workflow',
    type: 'BedAvailabilityChanged',
    messages: flooded.count,
    seconds: flooded.seconds,
    publishSeconds: flooded.publishSeconds,
    partitions: 3,
    recordsPerTransaction: 'up to 500 (of the records of one fetch)',
    cpuSeconds: floodCpuSeconds,
    workflowCpuMsPerMessage: ((floodCpuSeconds['referral-workflow'] ?? 0) * 1000) / flooded.count,
    profiled: profileDir !== undefined,
  });
  if (yardstick) {
    figure('distributed.consumer_saturation.vs_commit_rate', flooded.perSecond / yardstick.commitsPerSecond, 'ratio', { messagesPerSecond: flooded.perSecond, singleClientCommitsPerSecond: yardstick.commitsPerSecond, yardstickTool: yardstick.tool }, TARGETS.consumerSaturationRatio);
  }

  // The same consumer working off a backlog, with no publisher beside it: a second burst goes onto
  // the topic while the workflow is stopped, then a new workflow process drains it.
  await gateway.stop();
  await workflow.stop();
  log(`distributed: consumer saturation from a backlog — ${FLOOD} more events published while the workflow is stopped`);
  const backlogPublishSeconds = await publishAvailability({ brokers, namespace, count: FLOOD, round: 1 });
  // Profiled apart from the first workflow process, so the load's profile is not mixed with the backlog's.
  const backlogProfileDir = PROFILE_DIR ? await freshDir(join(PROFILE_DIR, 'referral-workflow-backlog')) : undefined;
  const restarted = await service('referral-workflow', profiledEntry('services/referral-workflow/src/main.ts', backlogProfileDir), { DATABASE_URL: referralDb.url, ...kafka });
  const backlogCpu = cpuAccount({ 'referral-workflow': restarted.proc.child.pid! }, { ...(postmaster ? { PostgreSQL: () => processTree(postmaster) } : {}), ...(broker ? { Kafka: () => [broker] } : {}) });
  const drained = await drainBacklog({ consumerUrl: restarted.proc.url, count: FLOOD });
  const backlogCpuSeconds = backlogCpu.stop();
  if (drained.timedShare < 0.8) log(`distributed: only ${(drained.timedShare * 100).toFixed(0)} % of the backlog was timed (the rest was handled before the new workflow answered); the backlog figure is rough`);
  figure('distributed.consumer_saturation.backlog_messages_per_s', drained.perSecond, 'messages/s', {
    consumer: 'referral-workflow, started after the burst was published',
    type: 'BedAvailabilityChanged',
    messages: FLOOD,
    timed: drained.count,
    timedShare: drained.timedShare,
    handledBeforeFirstSeen: FLOOD - drained.count,
    seconds: drained.seconds,
    publishSeconds: backlogPublishSeconds,
    recordsPerTransaction: 'up to 500 (of the records of one fetch)',
    cpuSecondsSinceReady: backlogCpuSeconds,
    profiled: profileDir !== undefined,
  });
  if (yardstick) {
    figure('distributed.consumer_saturation.backlog_vs_commit_rate', drained.perSecond / yardstick.commitsPerSecond, 'ratio', { messagesPerSecond: drained.perSecond, singleClientCommitsPerSecond: yardstick.commitsPerSecond, yardstickTool: yardstick.tool }, TARGETS.consumerSaturationRatio);
  }

  // Stop in order: the gateway first, then the services (the workflow writes its profile on exit).
  await Promise.all([restarted.stop(), careBeds.stop()]);
  if (profileDir) log(`distributed: CPU profile of the workflow (${profileDir})\n${formatSummary(await summariseProfiles(profileDir, 30))}`);
  if (gatewayProfileDir) log(`distributed: CPU profile of the gateway (${gatewayProfileDir})\n${formatSummary(await summariseProfiles(gatewayProfileDir, 30))}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`settings: ${REFERRALS} referrals, concurrency ${CONCURRENCY}, warm-up ${WARMUP}, poll ${POLL_MS} ms, phases ${[...ONLY].join(', ')}`);
  const [load1] = loadavg();
  if (load1! > cpus().length / 2) log(`WARNING: the machine is already busy (load average ${load1!.toFixed(1)} on ${cpus().length} cores); figures will be lower than on a quiet machine (see "rest of machine" in cpuSeconds)`);
  if (ONLY.has('matching')) await matchingPhase();
  if (ONLY.has('embedded')) await embeddedPhase();

  if (ONLY.has('yardstick') || ONLY.has('dashboard') || ONLY.has('gateway') || ONLY.has('distributed')) {
    log('infrastructure: KAFKA_BROKERS / DATABASE_URL when set, else throwaway servers from infra/');
    const wanted = ONLY.has('distributed');
    const [postgres, kafka] = await Promise.all([providePostgres(), wanted ? provideKafka() : Promise.resolve(undefined)]);
    const handles = [postgres, kafka].filter((h): h is InfraHandle => h !== undefined);
    for (const h of handles) {
      onCleanup(`${h.name} (${h.source})`, () => h.stop());
      log(`infrastructure: ${h.name} from ${h.source}${h.skipReason ? ` — unavailable: ${h.skipReason}` : ''}`);
    }

    let yardstick: Yardstick | undefined;
    if (postgres.value) {
      const db = await createTestDatabase('bench_yardstick', postgres.value);
      const drop = onCleanup(`database ${db.name}`, () => db.drop());
      if (ONLY.has('yardstick')) {
        await prepareYardstick(db.url);
        for (const clients of [1, 4]) {
          log(`yardstick: single-row insert commits with ${clients} client(s) for 5 s`);
          const y = await measureYardstick(db.url, clients, 5);
          if (clients === 1) yardstick = y;
          figure(`yardstick.pg_insert_commits_per_s.${clients}_client${clients > 1 ? 's' : ''}`, y.commitsPerSecond, 'commits/s', { clients, seconds: y.seconds, tool: y.tool, statement: 'insert into bench_yardstick(v) values ($1)', autocommit: true, server: postgres.source });
        }
        await projectionOnPostgres(db.url);
      }
      await drop();
      if (ONLY.has('dashboard')) {
        const board = await createTestDatabase('bench_dashboard', postgres.value);
        const dropBoard = onCleanup(`database ${board.name}`, () => board.drop());
        await dashboardPhase(board.url, DASHBOARD_REFERRALS, DASHBOARD_RUNS, yardstick?.commitsPerSecond);
        await dropBoard();
      }
    }

    if (ONLY.has('gateway')) await gatewayPhase(postgres.value);

    if (ONLY.has('distributed')) {
      if (kafka?.value && postgres.value) await distributedPhase(kafka.value, postgres.value, yardstick);
      else log('distributed: SKIPPED — Kafka or PostgreSQL is unavailable (see above)');
    }
  }
  await cleanUp();
  figure('bench.total_wall_time', secondsSince(started), 's', { phases: [...ONLY] }, TARGETS.totalS);

  const rows = printed.map((l) => `  ${String(l['figure']).padEnd(48)} ${String(l['value']).padStart(10)} ${String(l['unit']).padEnd(13)} ${l['target'] ? `${String(l['target']).padEnd(8)} ${l['met'] ? 'met' : 'NOT met'}` : ''}`);
  log(`summary:\n${rows.join('\n')}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping what the bench started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (error instanceof Error && error.cause) log(`cause: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`);
  await cleanUp();
}
