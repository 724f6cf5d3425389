import { readProcessConfig } from '@fbl/service-kit';

/** Configuration of the care-beds process, read once from the environment. */
export const config = readProcessConfig(process.env, { port: 3101 });
