// The popup's Xûr tab: his stock (names, icons, costs) or that he is not here.

import { askWorker } from './lib/browser.js';
import { el, textEl } from './lib/dom.js';
import { assetUrl } from './lib/popup-model.js';
import { errorSentence } from './lib/words.js';

const $ = (id) => document.getElementById(id);

/** One sale as a list item. */
function saleItem(sale, origin) {
  const icon = assetUrl(origin, sale.icon);
  const costs = sale.costs.map((cost) => `${cost.quantity} ${cost.name}`).join(', ');
  return el('li', { 'data-testid': 'xur-sale', 'data-hash': sale.itemHash },
    icon ? el('img', { src: icon, alt: '' }) : el('span'),
    textEl('strong', sale.name),
    textEl('span', sale.typeName ?? '', { class: 'type' }),
    textEl('span', costs ? `Costs ${costs}` : 'Free', { class: 'costs' }));
}

/** Asks the worker for Xûr and draws the answer; icons come from `origin`. */
export async function showXur(origin) {
  $('xur-status').textContent = 'Asking Xûr…';
  $('xur-sales').replaceChildren();
  const answer = await askWorker({ type: 'xur' });
  if (!answer.ok) {
    $('xur-status').textContent = errorSentence(answer.error);
    return;
  }
  if (!answer.present) {
    $('xur-status').textContent = 'Xûr is not here this week.';
    return;
  }
  const until = answer.refreshDate ? ` He leaves ${new Date(answer.refreshDate).toLocaleString()}.` : '';
  $('xur-status').textContent = `Xûr is here.${until}`;
  $('xur-sales').replaceChildren(...answer.sales.map((sale) => saleItem(sale, origin)));
}
