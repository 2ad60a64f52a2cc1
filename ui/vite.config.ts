import { defineConfig } from 'vite';

// The build runs from the repository root (`vite build --config ui/vite.config.ts`), so every
// path is anchored to this folder rather than to the working directory.
const backend = 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Vite transforms TSX itself (oxc); no React plugin is installed, so no fast refresh: edits
  // reload the page.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
  },
  server: {
    // The API checks Origin against its own host on state changes (CSRF), so the proxy keeps the
    // browser's Host header: the API then sees the dev server's origin as its own.
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
