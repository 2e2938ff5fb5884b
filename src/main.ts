import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';
import { exitGracefullyOnSignals } from './shutdown.js';

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
  exitGracefullyOnSignals(service, config, logger);
} catch (error) {
  logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
