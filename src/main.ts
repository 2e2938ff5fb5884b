import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

const config = loadConfig();
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
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
