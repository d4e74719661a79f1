// Two frames after the page is in the DOM, as Tongxin's page does: the first screen is drawn.
requestAnimationFrame(() =>
  requestAnimationFrame(() => window.__TAURI__.core.invoke('first_screen_drawn')),
);
