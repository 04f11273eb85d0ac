// The console's stylesheet and its one small script, served from the app itself (the CSP allows only
// 'self'). The script is an enhancement: every page works without it.
export const CONSOLE_CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; }
body { margin: 0; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1.5rem; background: #12355b; color: #fff; }
header a { color: #fff; } .brand { font-weight: 700; margin: 0; }
nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.signout { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
main { padding: 1rem 1.5rem 3rem; max-width: 72rem; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .5rem; text-align: left; vertical-align: top; }
code { font-size: .9em; word-break: break-all; }
.plain { list-style: none; margin: 0; padding: 0; }
.status { display: inline-block; padding: .1rem .5rem; border-radius: .25rem; font-weight: 600; }
.status.approved { background: #d7f0dd; color: #0b5b1f; } .status.rejected { background: #fadcdc; color: #8a1010; }
.status.awaiting { background: #fff1c7; color: #5c4400; } .status.neutral { background: #e8e8e8; }
.error { border: 2px solid #b00020; background: #fdecee; padding: 0 1rem; }
.notice { border: 2px solid #0b5b1f; background: #e6f5ea; padding: 0 1rem; }
form.inline { display: inline-flex; gap: .35rem; align-items: center; margin: 0 .5rem .35rem 0; }
td.actions label { font-size: .9em; }
.stack { display: grid; gap: .4rem; max-width: 32rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
button { font: inherit; padding: .4rem 1rem; border-radius: .25rem; border: 1px solid #12355b; background: #fff; cursor: pointer; }
button.approve { background: #0b5b1f; color: #fff; border-color: #0b5b1f; }
button.reject { background: #8a1010; color: #fff; border-color: #8a1010; }
.buttons { display: flex; gap: .75rem; } .hint { color: #444; font-size: .9em; }
input, textarea { font: inherit; padding: .3rem; }
.qr svg { width: 12rem; height: 12rem; display: block; }
`;

export const CONSOLE_JS = `
// Enhancements only: a rejection needs a reason before it is sent, and a form is not sent twice.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const button = event.submitter;
  if (button && button.value === 'reject') {
    const reason = form.querySelector('#reason');
    if (reason && reason.value.trim() === '') {
      event.preventDefault();
      reason.setCustomValidity('Say why you reject this transaction.');
      reason.reportValidity();
      reason.addEventListener('input', () => reason.setCustomValidity(''), { once: true });
      return;
    }
  }
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = '1';
});
`;
