import { html, Html, raw } from './html';
import { Lang, T } from './i18n';

export const PREFIX = '/public';

/** The pages' one stylesheet, inline (one request less on a slow connection; about 3 KB). */
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f1f1f}
header{background:#c8161d;color:#fff;padding:.6em 1em}
header .top{display:flex;justify-content:space-between;align-items:center;max-width:36em;margin:0 auto}
header a{color:#fff;text-decoration:none}
header .brand{font-weight:700;font-size:1.1em}
header .lang{font-size:.9em;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:.1em .5em}
nav{background:#fff;border-bottom:1px solid #e5e5e5}
nav ul{display:flex;margin:0 auto;padding:0;list-style:none;max-width:36em}
nav li{flex:1;text-align:center}
nav a{display:block;padding:.6em 0;color:#444;text-decoration:none;font-size:.95em}
nav a[aria-current=page]{color:#c8161d;border-bottom:2px solid #c8161d;font-weight:600}
main{max-width:36em;margin:0 auto;padding:1em}
h1{font-size:1.35em;margin:.2em 0 .6em}
fieldset{border:0;min-width:0}
legend{font-weight:600;padding:0;float:left;width:100%}
fieldset label.check{clear:both}
.card{background:#fff;border-radius:10px;padding:1em;margin:0 0 1em;box-shadow:0 1px 2px rgba(0,0,0,.05)}
a.tile{display:block;text-decoration:none;color:inherit}
a.tile strong{display:block;font-size:1.15em;color:#c8161d}
.muted{color:#666;font-size:.9em}
label{display:block;font-weight:600;margin:.8em 0 .3em}
label.check{font-weight:400;display:flex;gap:.6em;align-items:flex-start;margin:.7em 0}
label.check input{margin-top:.35em;transform:scale(1.3)}
input[type=text],input[type=tel],textarea,select{width:100%;font:inherit;padding:.55em .6em;border:1px solid #c9c9c9;border-radius:6px;background:#fff}
textarea{min-height:7em;resize:vertical}
input[type=file]{font:inherit;max-width:100%}
button,.button{display:block;width:100%;font:inherit;font-size:1.05em;padding:.75em;border:0;border-radius:8px;background:#c8161d;color:#fff;text-align:center;text-decoration:none;margin-top:1em}
button.secondary,.button.secondary{background:#fff;color:#c8161d;border:1px solid #c8161d}
button.small{display:inline-block;width:auto;font-size:.9em;padding:.35em .8em;margin:.4em 0 0}
.error{background:#fff1f0;border:1px solid #ffa39e;border-radius:8px;padding:.6em 1em;margin-bottom:1em}
.ok{background:#f6ffed;border:1px solid #b7eb8f;border-radius:8px;padding:.6em 1em;margin:.6em 0}
.field-error{color:#cf1322;font-size:.9em;margin:.2em 0 0}
.big{font:700 1.6em/1.3 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;letter-spacing:.04em;word-break:break-all}
.token{font:700 1.3em/1.5 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;word-break:break-all}
.token span{display:inline-block;margin-right:.45em}
dl{margin:0}
dt{color:#666;font-size:.9em;margin-top:.5em}
dd{margin:0}
.pill{display:inline-block;border-radius:999px;padding:0 .6em;font-size:.85em;background:#e6f4ff;color:#0958d9}
.pill.closed{background:#f6ffed;color:#389e0d}
.pill.replied{background:#fff7e6;color:#d46b08}
.item h2{font-size:1.05em;margin:0 0 .2em;display:flex;justify-content:space-between;gap:.5em}
.reply{white-space:pre-wrap;background:#fafafa;border-left:3px solid #c8161d;padding:.4em .7em;margin-top:.3em}
.suggest{margin:.4em 0 0;min-height:1.6em}
.suggest button{display:inline-block;width:auto;margin:0 .4em .3em 0;padding:.2em .7em;font-size:.9em;background:#fff;color:#c8161d;border:1px solid #c8161d;border-radius:999px}
#preview{max-width:100%;max-height:12em;margin-top:.5em;border-radius:6px;display:none}
.pager{display:flex;justify-content:space-between;align-items:center;gap:.5em}
.pager a{color:#c8161d}
.inline{display:flex;gap:.5em}
.inline>*{flex:1}
footer{max-width:36em;margin:0 auto;padding:1em;color:#888;font-size:.8em;text-align:center}
.js-only{display:none}
.js .js-only{display:block}
`;

export interface PageOptions {
  lang: Lang;
  t: T;
  title: string;
  nonce: string;
  /** Which tab is current. */
  current?: 'home' | 'report' | 'status' | 'wall';
  /** This page's path and query, for the language switch. */
  path: string;
  /** A small script for this page (geolocation, photo preview, suggestions). */
  script?: string;
}

export function page(o: PageOptions, body: Html): string {
  const t = o.t;
  const other = o.lang === 'en' ? 'zh-CN' : 'en';
  const sep = o.path.includes('?') ? '&' : '?';
  const tab = (key: 'home' | 'report' | 'status' | 'wall', href: string, label: string) =>
    html`<li><a href="${href}" ${raw(o.current === key ? ' aria-current="page"' : '')}>${label}</a></li>`;
  return html`<!doctype html>
    <html lang="${o.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${o.title} · ${t((m) => m.site)}</title>
        <style nonce="${o.nonce}">
          ${raw(CSS)}
        </style>
        <script nonce="${o.nonce}">
          document.documentElement.className = 'js';
        </script>
      </head>
      <body>
        <header>
          <div class="top">
            <a class="brand" href="${PREFIX}">${t((m) => m.site)}</a
            ><a class="lang" href="${o.path}${sep}lang=${other}" lang="${other}">${t((m) => m.switchTo)}</a>
          </div>
        </header>
        <nav>
          <ul>
            ${tab(
              'home',
              PREFIX,
              t((m) => m.nav.home),
            )}${tab(
              'report',
              `${PREFIX}/report`,
              t((m) => m.nav.report),
            )}${tab(
              'status',
              `${PREFIX}/status`,
              t((m) => m.nav.status),
            )}${tab(
              'wall',
              `${PREFIX}/wall`,
              t((m) => m.nav.wall),
            )}
          </ul>
        </nav>
        <main>${body}</main>
        <footer>${t((m) => m.footer)}</footer>
        ${
          o.script
            ? html`<script nonce="${o.nonce}">
                ${raw(o.script)};
              </script>`
            : ''
        }
      </body>
    </html>`.value;
}
