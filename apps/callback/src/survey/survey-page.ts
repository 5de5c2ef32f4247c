import { FieldError, redactPublicText } from '@app/platform';
import { DateTime } from 'luxon';
import { SurveyView } from './survey.service';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#222;font-size:17px;line-height:1.6}
main{max-width:34em;margin:0 auto;padding:1em}
h1{font-size:1.3em;margin:.5em 0}
fieldset{border:0;background:#fff;border-radius:8px;margin:0 0 .8em;padding:.8em 1em}
legend{font-weight:600;padding:0;float:left;width:100%;margin-bottom:.4em}
label{display:block;padding:.35em 0}
input[type=radio]{transform:scale(1.3);margin-right:.6em}
textarea{width:100%;box-sizing:border-box;font:inherit;min-height:5em}
button{width:100%;font:inherit;padding:.8em;border:0;border-radius:8px;background:#c8161d;color:#fff}
.reply{background:#fff;border-radius:8px;padding:.8em 1em;margin-bottom:.8em;white-space:pre-wrap}
.muted{color:#666;font-size:.9em}
</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}

function radios(name: string, options: [string, string][]): string {
  return options
    .map(([value, label]) => `<label><input type="radio" name="${name}" value="${value}" required>${esc(label)}</label>`)
    .join('\n');
}

/** The survey: the order number and the public reply, then the three questions and a comment. No personal data. */
export function surveyPage(token: string, v: SurveyView, zone: string): string {
  const when = v.acceptedAt ? DateTime.fromJSDate(v.acceptedAt, { zone }).toFormat('yyyy年M月d日') : null;
  const about = v.kind === 'first_contact' ? '您咨询的问题已由12345热线直接答复' : '您反映的问题已办理答复';
  const intro = `${when ? `您于${when}` : '您'}向12345热线反映的诉求${v.orderNo ? `（工单号 ${esc(v.orderNo)}）` : ''}。${about}，请您评价。`;
  const reply = v.publicReply ? `<p class="muted">答复内容：</p><div class="reply">${esc(redactPublicText(v.publicReply))}</div>` : '';
  const expires = DateTime.fromJSDate(v.expiresAt, { zone }).toFormat('M月d日 HH:mm');
  return page(
    '12345热线回访',
    `<h1>12345热线回访</h1>
<p>${intro}</p>
${reply}
<form method="post" action="${esc(token)}">
<fieldset><legend>1. 承办单位是否联系过您？</legend>
${radios('contacted', [
  ['true', '是'],
  ['false', '否'],
])}
</fieldset>
<fieldset><legend>2. 您反映的问题是否已解决？</legend>
${radios('resolved', [
  ['true', '已解决'],
  ['false', '未解决'],
])}
</fieldset>
<fieldset><legend>3. 您对办理结果是否满意？</legend>
${radios('satisfaction', [
  ['satisfied', '满意'],
  ['basically_satisfied', '基本满意'],
  ['unsatisfied', '不满意'],
])}
</fieldset>
<fieldset><legend>4. 您还有什么意见或建议？（选填）</legend>
<textarea name="comment" maxlength="2000"></textarea>
</fieldset>
<button type="submit">提交评价</button>
</form>
<p class="muted">此链接仅可提交一次，${esc(expires)}前有效。</p>`,
  );
}

export function thanksPage(): string {
  return page('感谢您的评价', '<h1>感谢您的评价</h1><p>您的意见已记录。如问题仍未解决，我们会督促承办单位继续办理。</p>');
}

const TITLES: Record<number, string> = {
  400: '提交的内容有误',
  404: '链接无效',
  409: '此链接已使用',
  410: '链接已过期',
};

/** An error as a page, for a browser: the status, a plain title, the reason and the fields at fault. */
export function errorPage(status: number, message: string, errors?: FieldError[]): string {
  const title = TITLES[status] ?? '暂时无法处理';
  const list = errors?.length ? `<ul>${errors.map((e) => `<li>${esc(e.field)}：${esc(e.reason)}</li>`).join('')}</ul>` : '';
  const back = status === 400 ? '<p>请返回上一页重新填写。</p>' : '<p>如需帮助，请拨打12345。</p>';
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>${list}${back}`);
}
