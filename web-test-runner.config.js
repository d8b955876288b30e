// Tests run in headless Chromium. Debian's /usr/bin/chromium by default; CHROME_PATH overrides.
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM } from './scripts/chromium.mjs';

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_CHROMIUM);
  process.exit(1);
}

/**
 * The pages of the `isolated` group are served cross-origin isolated (COOP + COEP), so that
 * they may share memory with their workers (SharedArrayBuffer); every other test page is not,
 * as most pages are not. The group's page carries a marker that the middleware looks for; the
 * workers such a page starts need COEP on their scripts too. Run the group alone with
 * `npx web-test-runner --group isolated` (naming its file on the command line would run it in
 * the default group as well, where its workers then fail to load in the isolated page).
 */
const ISOLATED = '<!-- cross-origin-isolated -->';
const isolatedSessions = new Set();
const isolate = async (context, next) => {
  const referer = context.get('Referer');
  const fromIsolated = [...isolatedSessions].some((id) => referer.includes(`wtr-session-id=${id}`));
  await next();
  if (context.path === '/' && typeof context.body === 'string' && context.body.includes(ISOLATED)) {
    isolatedSessions.add(context.URL.searchParams.get('wtr-session-id'));
    context.set('Cross-Origin-Opener-Policy', 'same-origin');
    context.set('Cross-Origin-Embedder-Policy', 'require-corp');
  } else if (context.get('Sec-Fetch-Dest') === 'worker') {
    if (fromIsolated) context.set('Cross-Origin-Embedder-Policy', 'require-corp');
    // A cached worker script would carry the other kind of page's headers.
    context.set('Cache-Control', 'no-store');
  }
};

/**
 * `executeServerCommand('heap-metrics')` from a test: forces garbage collection in the test's
 * page a few times (CDP `HeapProfiler.collectGarbage`), then returns what survives as
 * `Performance.getMetrics` counts it: `{ nodes, listeners, heap }` (DOM nodes, JS event
 * listeners, bytes of JS heap used). A removed element that leaks shows as growth over rounds.
 */
const heapMetrics = {
  name: 'heap-metrics',
  async executeCommand({ command, session }) {
    if (command !== 'heap-metrics') return undefined;
    if (session.browser.type !== 'puppeteer') {
      throw new Error(`heap-metrics needs the Chrome launcher, not ${session.browser.type}`);
    }
    const page = session.browser.getPage(session.id);
    const cdp = await page.createCDPSession();
    try {
      await cdp.send('Performance.enable');
      // FinalizationRegistry callbacks run after a collection and may free more: collect again.
      for (let i = 0; i < 4; i++) {
        await cdp.send('HeapProfiler.collectGarbage');
        await delay(50);
      }
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
      return {
        nodes: value('Nodes'),
        listeners: value('JSEventListeners'),
        heap: value('JSHeapUsedSize'),
      };
    } finally {
      await cdp.detach();
    }
  },
};

/**
 * The `webgpu` group runs the WGSL kernels' tests in the same Chromium with WebGPU on
 * SwiftShader, its software Vulkan driver (Debian's chromium package ships it), so that they
 * run, slowly, on machines without a GPU. Where WebGPU is still missing they fail with the
 * reason (WebGpuUnavailableError), never skip. Alone: `npx web-test-runner --group webgpu`.
 */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

const chromium = (extraArgs = []) =>
  chromeLauncher({
    launchOptions: { executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] },
  });

export default {
  files: [
    'test/**/*.test.ts',
    '!test/pool/split.test.ts',
    '!test/kernels/webgpu/**',
    '!test/model/gpu-*.test.ts',
  ],
  groups: [
    {
      name: 'isolated',
      files: ['test/pool/split.test.ts'],
      testRunnerHtml: (framework) =>
        `<!DOCTYPE html><html><head>${ISOLATED}</head><body><script type="module" src="${framework}"></script></body></html>`,
    },
    {
      name: 'webgpu',
      files: ['test/kernels/webgpu/**/*.test.ts', 'test/model/gpu-*.test.ts'],
      browsers: [chromium(WEBGPU_ARGS)],
    },
  ],
  middleware: [isolate],
  nodeResolve: true,
  // @open-wc/testing loads Lit's development build, which announces itself in every file.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  concurrency: 1,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 120_000 } },
  plugins: [
    heapMetrics,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [chromium()],
};
