import { createApp } from './app.js';
import { scheduledWork } from './scheduled.js';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: (_controller, env, ctx) => {
    ctx.waitUntil(scheduledWork(env));
  },
} satisfies ExportedHandler<Env>;
