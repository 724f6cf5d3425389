/**
 * What the embedded process reads before it loads the rest of itself: the folder whose PGlite
 * cluster may be copied early (none with DATABASE_URL), read as readProcessConfig reads DATA_DIR.
 * This module imports nothing, so reading it costs nothing.
 */
export const earlyDataDir: string | undefined = process.env['DATABASE_URL'] ? undefined : process.env['DATA_DIR'] || './data';
