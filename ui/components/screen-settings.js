// 设置 → 大屏: what the projector may show (names and titles, names only, or counts only —
// some events must not display names), which board (follow the desk, welcome, departures), and
// the displays the app sees (the big screen opens fullscreen on the one that is not the desk's).

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toast, toastError } from './toast.js';

const PRIVACY = ['names_titles', 'names', 'counts'];
const DISPLAY_KEY = 'tongxin.bigscreen.display';

/** The display the coordinator chose for the big screen ('' : the one that is not the desk's). */
export function chosenDisplay() {
  return localStorage.getItem(DISPLAY_KEY) ?? '';
}
const MODES = ['follow', 'welcome', 'departures', 'city'];

/** Fills `card`; returns a cleanup function. */
export function mountScreenCard(card) {
  let view = null;

  function render() {
    const s = view.settings;
    const radios = (name, values, current) =>
      values.map(
        (v) =>
          raw`<label class="radio"><input type="radio" name="${name}" value="${v}" ${v === current ? raw`checked` : ''}> ${t(`bs_${name}_${v}`)}</label>`,
      );
    card.replaceChildren(html`
      <p class="hint">${t('bs_settings_hint')}</p>
      <div class="row"><span>${t('bs_privacy')}</span>${radios('privacy', PRIVACY, s.privacy)}</div>
      <div class="row"><span>${t('bs_mode')}</span>${radios('mode', MODES, s.mode)}</div>
      <div class="row"><span>${t('bs_displays')}</span><span id="bs-displays" data-n="${view.monitors.length}">${
        view.monitors.length > 1
          ? view.monitors
              .map(
                (m) =>
                  `${m.name} ${m.width}×${m.height}${m.desk ? ` (${t('bs_display_desk')})` : ''}`,
              )
              .join(' · ')
          : t('bs_one_display')
      }</span></div>`);
  }

  async function load() {
    try {
      view = await api.bigscreenSettings();
      render();
    } catch (err) {
      toastError(err);
    }
  }

  const onChange = async (e) => {
    if (e.target.id === 'bs-display') {
      localStorage.setItem(DISPLAY_KEY, e.target.value);
      toast(t('bs_saved'));
      return;
    }
    if (!view || (e.target.name !== 'privacy' && e.target.name !== 'mode')) return;
    const settings = { ...view.settings, [e.target.name]: e.target.value };
    try {
      await api.bigscreenSet(settings);
      view.settings = settings;
      toast(t('bs_saved'));
    } catch (err) {
      toastError(err);
      render();
    }
  };
  card.addEventListener('change', onChange);
  load();
  return () => card.removeEventListener('change', onChange);
}
