/** A human-readable page for /v1/openapi.json, with no script or font from outside (these networks are closed). */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IP Pledge Registry — API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;font-size:1.2rem}
.op{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #d0d7de;border-radius:6px}
.m{display:inline-block;min-width:3.5rem;font-weight:600;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}code{background:#f6f8fa;padding:0 .3rem;border-radius:4px}
.d{color:#57606a;font-size:.9rem;white-space:pre-wrap}
</style></head><body>
<h1>IP Pledge Registry — gateway API v1</h1>
<p id="intro">Loading <a href="/v1/openapi.json">/v1/openapi.json</a>…</p>
<div id="ops"></div>
<script src="/v1/docs.js"></script></body></html>`;

/** The page's script, served from the same origin (the Content-Security-Policy allows no inline script). */
export const docsScript = `
fetch('/v1/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('intro').innerHTML = doc.info.description.replace(/</g,'&lt;') +
    ' — authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>; the machine-readable document is <a href="/v1/openapi.json">/v1/openapi.json</a>.';
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    const tag = (op.tags||['Other'])[0]; (byTag[tag] = byTag[tag] || []).push({path, method, op});
  }
  const out = document.getElementById('ops');
  for (const [tag, ops] of Object.entries(byTag)) {
    const h = document.createElement('h2'); h.textContent = tag; out.appendChild(h);
    for (const {path, method, op} of ops) {
      const div = document.createElement('div'); div.className = 'op';
      div.innerHTML = '<span class="m '+method+'">'+method+'</span> <code></code> — <span class="s"></span><div class="d"></div>';
      div.querySelector('code').textContent = path; div.querySelector('.s').textContent = op.summary || '';
      div.querySelector('.d').textContent = op.description || ''; out.appendChild(div);
    }
  }
});
`;
