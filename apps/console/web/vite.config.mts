import { defineConfig } from 'vite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preloadScreens } from './preload-screens.mts';

/**
 * The console's web app. Vite 8 transforms TSX with its built-in oxc (no React plugin: the
 * automatic JSX runtime is all we need). Output goes to dist/console-web, which apps/console serves.
 * In development, `npx vite apps/console/web` proxies /auth, /api, /admin and /events to a running console.
 */
const here = dirname(fileURLToPath(import.meta.url));
const consoleUrl = 'http://127.0.0.1:3000';

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  // index.html asks for the chunks of the screen at the address before the entry runs (preload-screens.mts).
  plugins: [preloadScreens(here)],
  build: {
    outDir: resolve(here, '../../../dist/console-web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // .vite/manifest.json (not served: a dot folder): the chunk graph scripts/build-web.js weighs each first screen by.
    manifest: true,
    rolldownOptions: {
      // Ant Design marks its modules "use client" (for React Server Components); meaningless in an SPA.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/auth', '/api', '/admin', '/events', '/.well-known'].map((p) => [p, consoleUrl])),
  },
});
