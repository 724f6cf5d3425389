/**
 * What the bench knows of each referral's state from the live-update stream
 * (`GET /api/referrals/events`), as the web UI does: one stream for the whole run, reopened when
 * it ends, and a GET of the referral only when the stream has said nothing for a while or asked
 * for a reload (`resync`).
 */
import { readServerSentEvents } from '../support/sse.js';
import { log } from './report.js';

interface Known {
  state: string;
  version: number;
  /** When the bench first heard of this state (performance.now()). */
  at: number;
}

export class LiveStates {
  private readonly known = new Map<string, Known>();
  private readonly waiters = new Map<string, Set<(heard: boolean) => void>>();
  private abort = new AbortController();
  private closed = false;
  /** Events heard, streams opened, and resyncs asked for. */
  readonly counts = { events: 0, streams: 0, resyncs: 0 };

  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Open the stream and resolve once the server said it is ready. */
  static async open(baseUrl: string, token: string): Promise<LiveStates> {
    const live = new LiveStates(`${baseUrl}/api/referrals/events`, token);
    await live.connect();
    return live;
  }

  /** The last state heard for a referral, if any. */
  get(id: string): Known | undefined {
    return this.known.get(id);
  }

  /** Record a state read another way (a GET), so later events older than it are ignored. */
  learn(id: string, state: string, version: number): void {
    const before = this.known.get(id);
    if (!before || version > before.version) this.known.set(id, { state, version, at: performance.now() });
  }

  /**
   * Resolve true when an event of `id` arrives; false after `ms` of silence, or when the stream
   * asked for a reload or ended (the caller should then read the referral).
   */
  changeOf(id: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const done = (heard: boolean) => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(id);
        resolve(heard);
      };
      const timer = setTimeout(() => done(false), ms);
      set.add(done);
    });
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
  }

  /** Wake the waiters of one referral (an event of it), or all of them to read (a resync, the stream ended). */
  private wake(id?: string): void {
    const sets = id ? [this.waiters.get(id)] : [...this.waiters.values()];
    for (const set of sets) for (const waiter of [...(set ?? [])]) waiter(id !== undefined);
  }

  private async connect(): Promise<void> {
    this.abort = new AbortController();
    const response = await fetch(this.url, { headers: { authorization: `Bearer ${this.token}` }, signal: this.abort.signal });
    if (response.status !== 200 || !response.body) throw new Error(`the live stream answered ${response.status}`);
    this.counts.streams += 1;
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const body = response.body;
    void (async () => {
      await readServerSentEvents(body, (event, data) => {
        if (event === 'ready') ready();
        else if (event === 'resync') {
          this.counts.resyncs += 1;
          this.wake();
        } else if (event === 'referral' && data) {
          const change = JSON.parse(data) as { id: string; state: string; version: number };
          this.counts.events += 1;
          this.learn(change.id, change.state, change.version);
          this.wake(change.id);
        }
      }).catch(() => undefined); // Aborted, or the connection dropped: reopened below.
      ready();
      if (this.closed) return;
      // The stream ended (its lifetime, or the server let a slow reader go): every waiter reads once, and it is reopened.
      this.wake();
      for (let attempt = 0; !this.closed; attempt++) {
        try {
          await this.connect();
          return;
        } catch (error) {
          if (attempt % 10 === 0) log(`live stream: reopening failed (${String(error)}); trying again`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    })();
    await isReady;
  }
}
