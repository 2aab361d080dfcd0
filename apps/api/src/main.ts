import { createApp, listen } from './app.js';
import { ConfigError, loadConfig } from './config/app-config.js';

try {
  const config = loadConfig();
  const app = await createApp(config);
  await listen(app, config);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
