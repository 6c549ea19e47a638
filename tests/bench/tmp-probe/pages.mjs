import { REAL_HOST_FLAGS, startSim } from '../../e2e/lib/sim.mjs';
import { POPUP_VIEWPORT, extensionUrl } from '../../e2e/lib/extension.mjs';
import { signedInBrowser, popupSettled } from '../../e2e/lib/popup.mjs';
const [dir, runs] = process.argv.slice(2);
const sim = await startSim(REAL_HOST_FLAGS);
const browser = await signedInBrowser(sim, { extension: dir });
const pages = (process.env.PAGES ?? 'blank.html,css.html,tiny.html,popup.html').split(',');
const out = Object.fromEntries(pages.map((p) => [p, []]));
async function once(name) {
  const page = await browser.context.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.goto(extensionUrl(name));
  if (name === 'popup.html') await popupSettled(page); else await page.waitForTimeout(150);
  const t = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; const fp = performance.getEntriesByType('paint').find((p) => p.name === 'first-paint'); return { resp: n.responseEnd, di: n.domInteractive, dcl: n.domContentLoadedEventEnd, fp: fp?.startTime }; });
  await page.close();
  return t;
}
await once('popup.html');
for (let r = 0; r < Number(runs); r++) for (const p of pages) out[p].push(await once(p));
const med = (a) => { const s = [...a].sort((x, y) => x - y); return Math.round(s[Math.floor(s.length / 2)] * 10) / 10; };
for (const p of pages) console.log(p, ['resp', 'di', 'dcl', 'fp'].map((k) => `${k}=${med(out[p].map((t) => t[k] ?? NaN))}`).join(' '));
await browser.close(); sim.stop();
