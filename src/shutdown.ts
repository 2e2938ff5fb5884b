import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Service } from './service.js';

/**
 * SIGTERM/SIGINT: readiness turns 503 at once, requests are still served for
 * `SHUTDOWN_DELAY_MS` (load balancers notice late), then the service closes (in-flight
 * requests get `SHUTDOWN_GRACE_MS`) and the process exits 0. A second signal exits at once.
 */
export function exitGracefullyOnSignals(service: Service, config: Config, logger: Logger): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    service.health.markNotReady('draining');
    logger.info({ signal, delayMs: config.shutdownDelayMs }, 'shutting down: not ready, still serving');
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    logger.info({ graceMs: config.shutdownGraceMs }, 'no longer accepting connections; finishing requests');
    await service.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
