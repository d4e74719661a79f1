// The first run: a coordinator who has just installed the app sees this, not someone else's
// data. Two ways in: try the demo day, or start our own day (name, date, main venue), which
// leads straight to 导入 with the next step shown.

import { api } from '../api.js';
import { html, $ } from '../lib/html.js';
import { t, getLang, setLang, errorText } from '../lib/i18n.js';

/** Shows the welcome screen over the whole window; `done(screen)` is called once a choice is made. */
export function mountWelcome(root, done) {
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  root.replaceChildren(html`
    <section class="welcome" id="welcome" aria-labelledby="welcome-title">
      <div class="welcome-lang">
        <button type="button" class="btn btn-small" id="welcome-lang">${getLang() === 'zh' ? 'English' : '中文'}</button>
      </div>
      <div class="welcome-inner">
        <div class="welcome-mark" aria-hidden="true">同</div>
        <h1 class="welcome-title" id="welcome-title">${t('welcome_title')}</h1>
        <p class="welcome-lead">${t('welcome_lead')}</p>
        <div class="welcome-choices">
          <button type="button" class="choice" id="choose-demo">
            <span class="choice-key"><kbd>1</kbd></span>
            <span class="choice-title">${t('welcome_demo')}</span>
            <span class="choice-body">${t('welcome_demo_body')}</span>
            <span class="choice-go">${t('welcome_demo_go')} →</span>
          </button>
          <div class="choice choice-own" id="choose-own" tabindex="-1">
            <button type="button" class="choice-open" id="open-own">
              <span class="choice-key"><kbd>2</kbd></span>
              <span class="choice-title">${t('welcome_own')}</span>
              <span class="choice-body">${t('welcome_own_body')}</span>
              <span class="choice-go">${t('welcome_own_go')} →</span>
            </button>
            <form class="own-form" id="own-form" hidden>
              <p class="own-head">${t('welcome_own')}</p>
              <label class="field"><span>${t('event_name')} <em>${t('f_required')}</em></span>
                <input id="own-name" maxlength="100" placeholder="${t('welcome_name_ph')}" autocomplete="off"></label>
              <div class="field-row">
                <label class="field"><span>${t('event_date')} <em>${t('f_required')}</em></span>
                  <input id="own-date" type="date" value="${iso}"></label>
                <label class="field"><span>${t('welcome_venue')}</span>
                  <input id="own-venue" maxlength="30" placeholder="${t('welcome_venue_ph')}" autocomplete="off"></label>
              </div>
              <label class="field"><span>${t('event_place')}</span>
                <input id="own-place" maxlength="100" placeholder="${t('welcome_place_ph')}" autocomplete="off"></label>
              <p class="form-error" id="own-error" role="alert"></p>
              <div class="row actions">
                <button type="submit" class="btn btn-primary" id="own-create">${t('welcome_create')} <kbd>Enter</kbd></button>
                <button type="button" class="btn" id="own-back">${t('cancel')} <kbd>Esc</kbd></button>
              </div>
            </form>
          </div>
        </div>
        <p class="welcome-foot muted">${t('welcome_foot')}</p>
      </div>
    </section>`);

  const form = $('#own-form', root);
  const openOwn = () => {
    form.hidden = false;
    $('#open-own', root).hidden = true;
    $('#choose-own', root).classList.add('open');
    $('#own-name', root).focus();
  };
  const closeOwn = () => {
    form.hidden = true;
    $('#open-own', root).hidden = false;
    $('#choose-own', root).classList.remove('open');
  };
  let busy = false;
  async function demo() {
    if (busy) return;
    busy = true;
    try {
      await api.welcomeDemo();
      finish('desk');
    } catch (err) {
      $('#own-error', root).textContent = errorText(err);
      busy = false;
    }
  }
  async function create(e) {
    e?.preventDefault();
    if (busy) return;
    busy = true;
    const v = (id) => $(id, root).value;
    try {
      await api.welcomeStart({
        name: v('#own-name'),
        date: v('#own-date'),
        short_name: v('#own-venue'),
        place: v('#own-place'),
      });
      finish('import');
    } catch (err) {
      $('#own-error', root).textContent = errorText(err);
      busy = false;
    }
  }
  function onKey(e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const typing = e.target.closest?.('input, select, textarea');
    if (e.key === 'Escape' && !form.hidden) {
      e.preventDefault();
      closeOwn();
    } else if (!typing && e.key === '1') {
      e.preventDefault();
      demo();
    } else if (!typing && e.key === '2') {
      e.preventDefault();
      openOwn();
    }
  }
  function finish(screen) {
    document.removeEventListener('keydown', onKey, true);
    done(screen);
  }
  $('#choose-demo', root).addEventListener('click', demo);
  $('#open-own', root).addEventListener('click', openOwn);
  $('#own-back', root).addEventListener('click', closeOwn);
  form.addEventListener('submit', create);
  $('#welcome-lang', root).addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    document.removeEventListener('keydown', onKey, true);
    mountWelcome(root, done);
  });
  document.addEventListener('keydown', onKey, true);
  $('#choose-demo', root).focus();
}
