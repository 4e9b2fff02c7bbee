import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes .br and .gz beside each text asset so Koa (koa-send) serves them precompressed:
 * residents open these pages on phone networks and the server has no compression middleware.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'wm-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file) || statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(file + '.br', brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(file + '.gz', gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * Vant's icon font is inlined (woff2 data URL) with a fallback on at.alicdn.com: drop the fallback, so
 * no page ever fetches from a third-party CDN (and the CSP's font-src has nothing to refuse).
 */
function noRemoteFonts(): Plugin {
  return {
    name: 'wm-no-remote-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/].*\.css$/.test(id)) return undefined;
      return code.replace(/,\s*url\((?:https?:)?\/\/[^)]+\)\s*format\("[^"]*"\)/g, '');
    },
  };
}

// The H5 pages: served by Koa under /h5/ (src/modules/h5), built on `npm start` when missing.
export default defineConfig({
  root,
  base: '/h5/',
  plugins: [vue(), noRemoteFonts(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WeChat's in-app browser (XWeb / X5) on older Android phones is roughly Chrome 87.
    target: ['es2020', 'chrome87', 'safari14'],
    chunkSizeWarningLimit: 800,
  },
  // `npx vite --config src/h5/vite.config.mts` for page work, with the API from `npm start`.
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/h5/link': 'http://localhost:3000',
      '/h5/oauth': 'http://localhost:3000',
      '/media': 'http://localhost:3000',
    },
  },
});
