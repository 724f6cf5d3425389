import type { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A child logger made when it first writes a line at a level that is written: most requests and
 * messages write none, and a pino child costs its bindings passed through the redaction.
 */
class LazyChild {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly own: Record<string, unknown>,
    private readonly options: { level?: string },
  ) {}

  private real(): Logger {
    return (this.made ??= this.parent.child(this.own, this.options));
  }

  isLevelEnabled(level: string): boolean {
    return this.enabled(level as Level);
  }

  bindings(): Record<string, unknown> {
    return this.made?.bindings() ?? { ...this.parent.bindings(), ...this.own };
  }

  private enabled(level: Level): boolean {
    if (this.made) return this.made.isLevelEnabled(level);
    const { level: own } = this.options;
    if (own === undefined) return this.parent.isLevelEnabled(level);
    const values = this.parent.levels.values;
    return own !== 'silent' && (values[level] ?? 0) >= (values[own] ?? Infinity);
  }

  private write(level: Level, args: unknown[]): void {
    if (this.enabled(level)) (this.real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): Logger {
    return this.real().child(bindings, options);
  }
}


/** A child of `parent` with `bindings`, made only when it first writes a line (see {@link LazyChild}). */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>, options: { level?: string } = {}): Logger {
  return new LazyChild(parent, bindings, options) as unknown as Logger;
}
