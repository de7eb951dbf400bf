import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm start` listens: the dev server forwards the API there (`npm run dev:web` beside `npm start`). */
const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  plugins: [
    react(),
    // The app shell is cached by a service worker, so that the patrol page opens again without signal;
    // API calls are never cached (a stale case list is worse than an honest "offline").
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: '街面巡查救助',
        short_name: '巡查救助',
        lang: 'zh-CN',
        start_url: '/patrol',
        display: 'standalone',
        background_color: '#0b0f14',
        theme_color: '#0b0f14',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The shell a phone needs to open without signal: the patrol and station pages, not the wall's map and
        // charts (~1 MB), which are cached when a coordinator first opens them.
        globPatterns: ['**/*.{js,css,html,svg,json,woff2}'],
        globIgnores: ['**/coordinator-page-*'],
        runtimeCaching: [{
          urlPattern: ({ url }) => url.pathname.startsWith('/assets/'),
          handler: 'CacheFirst',
          options: { cacheName: 'assets', expiration: { maxEntries: 60, maxAgeSeconds: 30 * 24 * 3600 } },
        }, {
          // The city's outline (config.json names the city): fresh when online, the last copy when not.
          urlPattern: ({ url }) => url.pathname.startsWith('/city/'),
          handler: 'StaleWhileRevalidate',
          options: { cacheName: 'city', expiration: { maxEntries: 4 } },
        }],
        // A new worker takes over the open page at once, so that the first visit is already served offline.
        clientsClaim: true,
        skipWaiting: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/v1\//, /^\/open311\//, /^\/openapi\.json/, /^\/health/, /^\/local\//, /^\/config\.json/, /^\/city\//],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
  server: {
    proxy: Object.fromEntries(['/v1', '/open311', '/openapi.json', '/config.json', '/city', '/health', '/local'].map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
