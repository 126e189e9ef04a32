/**
 * The portal's build: one static bundle for every stack (the API address and the issuer come from
 * `config.json` at run time), served under /portal/ locally and from CloudFront when deployed.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/portal/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Pages are split per route; the initial chunk is the shell and sign-in.
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  logLevel: 'warn',
});
