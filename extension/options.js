// The options page: shows the worker's options and saves them with `{type:"set_options"}`.
// Saved options may name another Bungie origin or sign-in, so the view the popup kept for its
// first frame is forgotten: the next popup waits for the worker instead of showing old gear.

import { askWorker, oauthRedirectUrl } from './lib/browser.js';
import { forgetKeptView } from './lib/kept-view.js';
import { errorSentence } from './lib/words.js';

const form = document.getElementById('options-form');
const status = document.getElementById('status');
const FIELDS = ['signInMode', 'apiKey', 'bungieOrigin', 'makeRoom', 'oauthClientId', 'oauthClientSecret'];

function say(text, failed = false) {
  status.textContent = text;
  status.classList.toggle('failed', failed);
}

function fill(options) {
  for (const name of FIELDS) form.elements[name].value = options[name] ?? '';
}

async function load() {
  document.getElementById('redirect-url').textContent = oauthRedirectUrl();
  const answer = await askWorker({ type: 'options' });
  if (answer.ok) fill(answer.options);
  else say(errorSentence(answer.error), true);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const options = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value]));
  const answer = await askWorker({ type: 'set_options', options });
  if (answer.ok) {
    forgetKeptView();
    fill(answer.options);
    say('Saved.');
  } else {
    say(errorSentence(answer.error), true);
  }
});

load();
