import { pino } from 'pino';

/** JSON lines on stdout; `LOG_LEVEL` sets the level. */
export function createLogger(level: string) {
  return pino({ level, base: undefined });
}

export type Logger = ReturnType<typeof createLogger>;
