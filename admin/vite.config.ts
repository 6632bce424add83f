import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * The admin UI build: a single-page app served by Plinth at /_/, written to dist/admin beside the
 * server's own build. `npm run dev:admin` serves it with hot reload and proxies /api to a running
 * `plinth serve` on 127.0.0.1:8090.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/_/',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8090' },
  },
});
