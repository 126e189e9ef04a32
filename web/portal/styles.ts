/** The landing pages' style sheet: served from /portal/app.css, since the CSP allows no inline style. */
export const APP_CSS = `
[hidden] { display: none !important; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f6; }
main { max-width: 44rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: 6px; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
code { font-size: 0.9em; word-break: break-all; }
label { display: block; font-weight: 600; margin-top: 0.75rem; }
textarea, input { width: 100%; box-sizing: border-box; font: inherit; padding: 0.4rem; }
button { font: inherit; margin: 0.5rem 0.5rem 0 0; padding: 0.35rem 0.9rem; cursor: pointer; }
button:disabled { cursor: wait; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; word-break: break-word; }
ol li { margin-bottom: 0.75rem; }
#status.error { color: #a4262c; font-weight: 600; }
`;
