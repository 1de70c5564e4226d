// Opens each report.html given in headless Chromium (Debian's package) and
// fails unless the page loads with no console error, no page error and no
// request leaving the file, and shows one image per PNG in the run's charts/
// folder, each with a natural size above zero. With --screenshot DIR, also
// saves a full-page screenshot at 1280 px wide for a person to look at.
import { chromium } from 'playwright-core';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let shots = null;
const reports = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--screenshot') shots = args[++i];
  else reports.push(resolve(args[i]));
}
if (reports.length === 0) {
  console.error('usage: node check-report.mjs [--screenshot DIR] RUN_DIR/report.html ...');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
for (const [k, report] of reports.entries()) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && url !== pathToFileURL(report).href) problems.push(`request outside the file: ${url}`);
  });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  const images = await page.evaluate(() => Array.from(document.images).map((i) => ({
    alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight,
  })));
  const chartsDir = join(dirname(report), 'charts');
  const pngs = existsSync(chartsDir) ? readdirSync(chartsDir).filter((f) => f.endsWith('.png')).length : 0;
  if (images.length !== pngs) problems.push(`${images.length} images on the page, ${pngs} charts written`);
  for (const i of images) {
    if (!i.complete || i.w === 0 || i.h === 0) problems.push(`image "${i.alt}" has natural size ${i.w}x${i.h}`);
  }
  if (shots) {
    await page.screenshot({ path: join(shots, `${k}-${basename(dirname(report))}.png`), fullPage: true });
  }
  await page.close();
  if (problems.length) {
    failed = true;
    for (const p of problems) console.error(`${report}: ${p}`);
  } else {
    console.log(`${report}: loaded with no console error; ${images.length} images, every one with natural size > 0`);
  }
}
await browser.close();
process.exit(failed ? 1 : 0);
