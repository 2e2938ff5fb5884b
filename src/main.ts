import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

// Settings are checked before anything starts; a bad one is one clear line and exit code 2.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  createLogger('info').fatal(`invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);

try {
  const service = await startService(config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await service.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
