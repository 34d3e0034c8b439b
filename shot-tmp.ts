import { serveStatic } from './tests/helpers/static-server.ts';
import { launchBrowser } from './tests/helpers/site.ts';
const [dir, path, out, w, h] = process.argv.slice(2);
const server = await serveStatic(dir!);
const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: Number(w), height: Number(h) }, colorScheme: 'light' })).newPage();
await page.goto(server.url + path!);
await page.screenshot({ path: out! });
await browser.close(); await server.close();
