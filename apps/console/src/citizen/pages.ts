import { CitizenStatusView, WallPage } from '@app/contracts';
import { DateTime } from 'luxon';
import { html, Html, raw } from './html';
import { Lang, T } from './i18n';
import { PREFIX } from './layout';
import { FieldProblem, MAX_CONTENT, ReportInput } from './report-form';

export interface Category {
  code: string;
  nameZh: string;
  nameEn: string;
  level?: number;
  active?: boolean;
}

export interface Receipt {
  orderNo: string;
  token: string;
  statusLabel: string;
  status: string;
}

export interface Place {
  code: string;
  name: string;
  streets: { code: string; name: string }[];
}

export interface SurveyView {
  orderNo: string | null;
  acceptedAt: string | null;
  publicReply: string | null;
  kind: string;
  expiresAt: string;
}

const ZONE = 'Asia/Shanghai';

export function when(iso: string | null, lang: Lang, zone = ZONE, withTime = true): string {
  if (!iso) return '';
  const d = DateTime.fromISO(iso, { zone });
  if (!d.isValid) return iso;
  if (lang === 'en') return d.toFormat(withTime ? 'd LLL yyyy HH:mm' : 'd LLL yyyy', { locale: 'en' });
  return d.toFormat(withTime ? 'yyyy年M月d日 HH:mm' : 'yyyy年M月d日');
}

const STATUS_EN: Record<string, string> = {
  accepted: 'Received',
  dispatched: 'Assigned',
  handling: 'Being handled',
  signed: 'Being handled',
  contacted: 'Being handled',
  replied: 'Replied',
  closed: 'Closed',
  merged: 'Merged',
  answered: 'Answered',
  not_accepted: 'Not accepted',
  reopened: 'Being handled again',
};

/** The state in the citizen's language: intake's labels read `已受理 Accepted`; the wall's are Chinese only. */
export function statusText(status: string, label: string, lang: Lang): string {
  const zh = label.replace(/\s+[A-Za-z].*$/, '');
  if (lang === 'zh-CN') return zh;
  return STATUS_EN[status] ?? (label.match(/\s+([A-Za-z].*)$/)?.[1] || label);
}

function problems(list: FieldProblem[], t: T): Html {
  if (!list.length) return html``;
  return html`<div class="error" role="alert">
    <strong>${t((m) => m.errors.fix)}</strong>
    <ul>
      ${list.map((p) => html`<li>${p.message}</li>`)}
    </ul>
  </div>`;
}

const fieldError = (list: FieldProblem[], field: string) =>
  list.filter((p) => p.field === field).map((p) => html`<p class="field-error" id="${field}-error">${p.message}</p>`);

export function homePage(t: T): Html {
  return html`<h1>${t((m) => m.home.title)}</h1>
    <p>${t((m) => m.home.intro)}</p>
    <a class="card tile" href="${PREFIX}/report"
      ><strong>${t((m) => m.home.report)}</strong><span class="muted">${t((m) => m.home.reportHint)}</span></a
    >
    <a class="card tile" href="${PREFIX}/status"
      ><strong>${t((m) => m.home.status)}</strong><span class="muted">${t((m) => m.home.statusHint)}</span></a
    >
    <a class="card tile" href="${PREFIX}/wall"
      ><strong>${t((m) => m.home.wall)}</strong><span class="muted">${t((m) => m.home.wallHint)}</span></a
    >
    <p class="muted">${t((m) => m.home.phone)}</p>`;
}

export function reportPage(
  t: T,
  lang: Lang,
  o: { formToken: string; categories: Category[]; input?: ReportInput; problems?: FieldProblem[]; maxPhotoMb: number; notice?: string },
): Html {
  const v = o.input;
  const list = o.problems ?? [];
  const checked = (b: boolean | undefined, dflt: boolean) => raw((b ?? dflt) ? ' checked' : '');
  const name = (c: Category) => (lang === 'en' ? c.nameEn : c.nameZh);
  return html`<h1>${t((m) => m.form.title)}</h1>
    ${o.notice ? html`<div class="error" role="alert">${o.notice}</div>` : ''} ${problems(list, t)}
    <form method="post" action="${PREFIX}/report" enctype="multipart/form-data" novalidate>
      <input type="hidden" name="_form" value="${o.formToken}" />
      <div class="card">
        <label for="content">${t((m) => m.form.content)}</label>
        <textarea
          id="content"
          name="content"
          maxlength="${MAX_CONTENT}"
          required
          placeholder="${t((m) => m.form.contentPlaceholder)}"
          aria-describedby="content-hint"
        >
${v?.content ?? ''}</textarea>
        <p class="muted" id="content-hint">${t((m) => m.form.contentHint)}</p>
        ${fieldError(list, 'content')}
        <div class="suggest js-only" id="suggest" aria-live="polite" data-label="${t((m) => m.form.suggested)}"></div>
        <label for="categoryCode">${t((m) => m.form.category)}</label>
        <select id="categoryCode" name="categoryCode">
          <option value="">${t((m) => m.form.categoryAuto)}</option>
          ${o.categories.map((c) => html`<option value="${c.code}" ${raw(v?.categoryCode === c.code ? ' selected' : '')}>${name(c)}</option>`)}
        </select>
        ${fieldError(list, 'categoryCode')}
      </div>
      <div class="card">
        <label for="address">${t((m) => m.form.address)}</label>
        <input
          type="text"
          id="address"
          name="address"
          maxlength="500"
          autocomplete="street-address"
          value="${v?.address ?? ''}"
          placeholder="${t((m) => m.form.addressPlaceholder)}"
        />
        <input type="hidden" id="lat" name="lat" value="${v?.lat ?? ''}" /><input
          type="hidden"
          id="lng"
          name="lng"
          value="${v?.lng ?? ''}"
        />
        <button
          type="button"
          class="small secondary js-only"
          id="locate"
          data-busy="${t((m) => m.form.locating)}"
          data-done="${t((m) => m.form.located, { m: '{{m}}' })}"
          data-fail="${t((m) => m.form.locateFailed)}"
        >
          ${t((m) => m.form.useLocation)}
        </button>
        <p class="muted" id="locate-note" aria-live="polite"></p>
        <p class="muted">${t((m) => m.form.addressHint)}</p>
        ${fieldError(list, 'address')}
        <label for="photo">${t((m) => m.form.photo)}</label>
        <input type="file" id="photo" name="photo" accept="image/jpeg,image/png,image/webp" />
        <img id="preview" alt="" />
        <p class="muted">${t((m) => m.form.photoHint, { mb: o.maxPhotoMb })}</p>
        ${fieldError(list, 'photo')}
      </div>
      <div class="card">
        <strong>${t((m) => m.form.you)}</strong>
        <div id="contact">
          <label for="name">${t((m) => m.form.name)}</label>
          <input type="text" id="name" name="name" maxlength="50" autocomplete="name" value="${v?.name ?? ''}" />
          ${fieldError(list, 'name')}
          <label for="phone">${t((m) => m.form.phone)}</label>
          <input type="tel" id="phone" name="phone" maxlength="20" autocomplete="tel" inputmode="tel" value="${v?.phone ?? ''}" />
          ${fieldError(list, 'phone')}
          <p class="muted">${t((m) => m.form.contactHint)}</p>
        </div>
        <label class="check"
          ><input type="checkbox" id="anonymous" name="anonymous" ${checked(v?.anonymous, false)} /><span
            >${t((m) => m.form.anonymous)}</span
          ></label
        >
        <label class="check"
          ><input type="checkbox" name="identityHidden" ${checked(v?.identityHidden, false)} /><span
            >${t((m) => m.form.identityHidden)}</span
          ></label
        >
        <label class="check"
          ><input type="checkbox" name="publicWall" ${checked(v?.publicWall, true)} /><span>${t((m) => m.form.wall)}</span></label
        >
      </div>
      <p class="muted">${t((m) => m.form.privacy)}</p>
      <button type="submit">${t((m) => m.form.submit)}</button>
    </form>`;
}

const SPELL_DIGITS = '零一二三四五六七八九';

/** The token spelled out one character at a time, as it would be read over the phone. */
export function spellToken(token: string, t: T, lang: Lang): string {
  // A readable token has capitals only: its letters need no case. An earlier receipt's token says it.
  const mixedCase = /[a-z]/.test(token);
  return [...token]
    .map((c) => {
      if (/[0-9]/.test(c))
        return lang === 'en' ? `${t((m) => m.receipt.digit)} ${c}` : `${t((m) => m.receipt.digit)}${SPELL_DIGITS[Number(c)]}`;
      if (/[A-Z]/.test(c)) return mixedCase ? `${t((m) => m.receipt.upper)} ${c}` : c;
      if (/[a-z]/.test(c)) return `${t((m) => m.receipt.lower)} ${c}`;
      return c === '-' ? t((m) => m.receipt.dash) : t((m) => m.receipt.underscore);
    })
    .join(lang === 'en' ? ', ' : '，');
}

export function receiptPage(t: T, lang: Lang, r: Receipt, category: string | null, photo: string | null): Html {
  const groups = r.token.match(/.{1,4}/g) ?? [r.token];
  return html`<h1>${t((m) => m.receipt.title)}</h1>
    <div class="card" data-testid="receipt">
      <dl>
        <dt>${t((m) => m.receipt.orderNo)}</dt>
        <dd class="big" data-testid="order-no">${r.orderNo}</dd>
        <dt>${t((m) => m.receipt.token)}</dt>
        <dd class="token" data-testid="status-token" aria-label="${groups.join(' ')}">${groups.map((g) => html`<span>${g}</span>`)}</dd>
      </dl>
      <details>
        <summary>${t((m) => m.receipt.readAloud)}</summary>
        <p>${spellToken(r.token, t, lang)}</p>
      </details>
      <p class="muted">${t((m) => m.receipt.keep)}</p>
    </div>
    <div class="card">
      <dl>
        ${
          category
            ? html`<dt>${t((m) => m.receipt.category)}</dt>
                <dd>${category}</dd>`
            : ''
        }
        <dt>${t((m) => m.receipt.status)}</dt>
        <dd>${statusText(r.status, r.statusLabel, lang)}</dd>
      </dl>
      ${photo === 'saved' ? html`<p>${t((m) => m.receipt.photoSaved)}</p>` : photo ? html`<p class="error">${t((m) => m.receipt.photoFailed, { reason: photo })}</p>` : ''}
    </div>
    <form method="post" action="${PREFIX}/status">
      <input type="hidden" name="orderNo" value="${r.orderNo}" /><input type="hidden" name="token" value="${r.token}" />
      <button type="submit">${t((m) => m.receipt.seeStatus)}</button>
    </form>
    <a class="button secondary" href="${PREFIX}/report">${t((m) => m.receipt.another)}</a>`;
}

export function statusForm(t: T, o: { orderNo?: string; token?: string; notFound?: boolean; problems?: FieldProblem[] }): Html {
  return html`<h1>${t((m) => m.status.title)}</h1>
    ${o.notFound ? html`<div class="error" role="alert">${t((m) => m.status.notFound)}</div>` : ''} ${problems(o.problems ?? [], t)}
    <form method="post" action="${PREFIX}/status" class="card">
      <label for="orderNo">${t((m) => m.status.orderNo)}</label>
      <input
        type="text"
        id="orderNo"
        name="orderNo"
        inputmode="numeric"
        autocomplete="off"
        maxlength="15"
        value="${o.orderNo ?? ''}"
        placeholder="${t((m) => m.status.orderNoPlaceholder)}"
      />
      <label for="token">${t((m) => m.status.token)}</label>
      <input
        type="text"
        id="token"
        name="token"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        maxlength="30"
        value="${o.token ?? ''}"
        placeholder="${t((m) => m.status.tokenPlaceholder)}"
      />
      <button type="submit">${t((m) => m.status.lookUp)}</button>
    </form>`;
}

/** The 补充诉求 form on the status page, and what became of the last one sent. */
export interface SupplementForm {
  formToken: string;
  /** This rendering's one-time value (part of the idempotency key: the same page sent twice adds one). */
  once: string;
  /** The order's token as looked up, sent again with the form (a POST body, never a URL). */
  token: string;
  /** What the citizen typed, kept when it was refused. */
  text?: string;
  /** When the supplement just sent was stored. */
  savedAt?: string;
  /** Why the supplement just sent was refused, in the citizen's language. */
  refusal?: string;
  problems?: FieldProblem[];
}

export const MAX_SUPPLEMENT = 4000;

function supplementCard(t: T, lang: Lang, s: CitizenStatusView, f: SupplementForm): Html {
  const history = s.supplementedAt ?? [];
  const canAdd = s.canSupplement === true;
  const list = f.problems ?? [];
  if (!canAdd && !f.refusal && !f.savedAt && !history.length) return html``;
  return html`<div class="card" id="supplement" data-testid="supplement">
    <strong>${t((m) => m.supplement.title)}</strong>
    ${f.savedAt ? html`<div class="ok" role="status">${t((m) => m.supplement.saved, { when: when(f.savedAt, lang) })}</div>` : ''}
    ${f.refusal ? html`<div class="error" role="alert">${f.refusal}</div>` : ''}
    ${
      history.length && !f.savedAt
        ? html`<p class="muted">${t((m) => m.supplement.history, { n: history.length, when: when(history[history.length - 1], lang) })}</p>`
        : ''
    }
    ${
      canAdd
        ? html`<form method="post" action="${PREFIX}/status/supplement#supplement" novalidate>
            <input type="hidden" name="_form" value="${f.formToken}" /><input type="hidden" name="_once" value="${f.once}" /><input
              type="hidden"
              name="orderNo"
              value="${s.orderNo}"
            /><input type="hidden" name="token" value="${f.token}" />
            <p class="muted">${t((m) => m.supplement.intro)}</p>
            <label for="supplement-text">${t((m) => m.supplement.text)}</label>
            <textarea
              id="supplement-text"
              name="text"
              maxlength="${MAX_SUPPLEMENT}"
              required
              placeholder="${t((m) => m.supplement.placeholder)}"
              aria-describedby="supplement-hint"
            >
${f.text ?? ''}</textarea>
            <p class="muted" id="supplement-hint">${t((m) => m.supplement.hint, { n: MAX_SUPPLEMENT })}</p>
            ${fieldError(list, 'text')}
            <button type="submit">${t((m) => m.supplement.submit)}</button>
          </form>`
        : f.text
          ? html`<label for="supplement-text">${t((m) => m.supplement.yourText)}</label>
              <textarea id="supplement-text" readonly>${f.text}</textarea>
              <a class="button secondary" href="${PREFIX}/report">${t((m) => m.supplement.newRequest)}</a>`
          : ''
    }
  </div>`;
}

export function statusPage(t: T, lang: Lang, s: CitizenStatusView, f: SupplementForm): Html {
  return html`<h1>${t((m) => m.status.title)}</h1>
    <div class="card" data-testid="status">
      <dl>
        <dt>${t((m) => m.receipt.orderNo)}</dt>
        <dd class="big">${s.orderNo}</dd>
        <dt>${t((m) => m.receipt.status)}</dt>
        <dd><span class="pill" data-testid="status-label">${statusText(s.status, s.statusLabel, lang)}</span></dd>
        <dt>${t((m) => m.receipt.category)}</dt>
        <dd>${s.category}</dd>
        <dt>${t((m) => m.status.acceptedAt)}</dt>
        <dd>${when(s.acceptedAt, lang)}</dd>
        <dt>${t((m) => m.status.unit)}</dt>
        <dd>${s.unitName ?? t((m) => m.status.unitPending)}</dd>
        <dt>${t((m) => m.status.updatedAt)}</dt>
        <dd>${when(s.updatedAt, lang)}</dd>
      </dl>
      ${s.mergedIntoOrderNo ? html`<p>${t((m) => m.status.merged, { orderNo: s.mergedIntoOrderNo })}</p>` : ''}
    </div>
    <div class="card">
      <strong>${t((m) => m.status.reply)}</strong>
      ${s.reply ? html`<div class="reply">${s.reply}</div>` : html`<p class="muted">${t((m) => m.status.noReply)}</p>`}
    </div>
    ${supplementCard(t, lang, s, f)}
    <a class="button secondary" href="${PREFIX}/status">${t((m) => m.status.lookUp)}</a>`;
}

export function wallPage(
  t: T,
  lang: Lang,
  o: { places: Place[]; district?: string; street?: string; wall?: WallPage; streetNames: Map<string, string> },
): Html {
  const district = o.places.find((d) => d.code === o.district);
  const w = o.wall;
  const pages = w ? Math.max(1, Math.ceil(w.total / w.pageSize)) : 1;
  const link = (p: number) =>
    `${PREFIX}/wall?district=${encodeURIComponent(o.district ?? '')}${o.street ? `&street=${encodeURIComponent(o.street)}` : ''}&page=${p}`;
  return html`<h1>${t((m) => m.wall.title)}</h1>
    <p class="muted">${t((m) => m.wall.intro)}</p>
    <form method="get" action="${PREFIX}/wall" class="card">
      <div class="inline">
        <div>
          <label for="district">${t((m) => m.wall.district)}</label>
          <select id="district" name="district">
            ${o.places.map((d) => html`<option value="${d.code}" ${raw(d.code === o.district ? ' selected' : '')}>${d.name}</option>`)}
          </select>
        </div>
        <div>
          <label for="street">${t((m) => m.wall.street)}</label>
          <select id="street" name="street">
            <option value="">${t((m) => m.wall.all)}</option>
            ${(district?.streets ?? []).map(
              (s) => html`<option value="${s.code}" ${raw(s.code === o.street ? ' selected' : '')}>${s.name}</option>`,
            )}
          </select>
        </div>
      </div>
      <button type="submit">${t((m) => m.wall.show)}</button>
    </form>
    ${
      !w
        ? html`<p>${t((m) => m.wall.choose)}</p>`
        : html`<p class="muted">${t((m) => m.wall.total, { n: w.total })}</p>
            ${w.items.length ? '' : html`<p class="card">${t((m) => m.wall.empty)}</p>`}
            ${w.items.map(
              (i) =>
                html`<article class="card item" data-testid="wall-item" data-order="${i.orderNo ?? ''}">
                  <h2><span>${i.category}</span><span class="pill ${i.status}">${statusText(i.status, i.statusLabel, lang)}</span></h2>
                  <p class="muted">
                    ${i.streetCode ? (o.streetNames.get(i.streetCode) ?? '') : ''} · ${t((m) => m.wall.accepted)}
                    ${when(i.acceptedOn, lang, ZONE, false)}${i.orderNo ? ` · ${i.orderNo}` : ''}
                  </p>
                  <dl>
                    <dt>${t((m) => m.wall.unit)}</dt>
                    <dd>${i.unitName ?? t((m) => m.status.unitPending)}</dd>
                    <dt>${t((m) => m.wall.deadline)}</dt>
                    <dd>${i.deadline ? when(i.deadline, lang) : '—'}</dd>
                    <dt>${t((m) => m.wall.result)}</dt>
                    <dd>
                      ${i.reply ? html`<div class="reply">${i.reply}</div>` : html`<span class="muted">${t((m) => m.wall.noResult)}</span>`}
                    </dd>
                  </dl>
                </article>`,
            )}
            ${
              pages > 1
                ? html`<div class="pager">
                    ${w.page > 1 ? html`<a href="${link(w.page - 1)}">${t((m) => m.wall.prev)}</a>` : html`<span></span>`}<span
                      class="muted"
                      >${t((m) => m.wall.page, { page: w.page, pages })}</span
                    >${w.page < pages ? html`<a href="${link(w.page + 1)}">${t((m) => m.wall.next)}</a>` : html`<span></span>`}
                  </div>`
                : ''
            }`
    }`;
}

export function surveyPage(t: T, lang: Lang, token: string, formToken: string, v: SurveyView, problems_: FieldProblem[] = []): Html {
  const intro =
    v.kind === 'first_contact'
      ? t((m) => m.survey.introFirst, { orderNo: v.orderNo ?? '' })
      : t((m) => m.survey.intro, { date: when(v.acceptedAt, lang, ZONE, false), orderNo: v.orderNo ?? '' });
  const radios = (name: string, options: [string, string][]) =>
    options.map(
      ([value, label]) =>
        html`<label class="check"><input type="radio" name="${name}" value="${value}" required /><span>${label}</span></label>`,
    );
  return html`<h1>${t((m) => m.survey.title)}</h1>
    <p>${intro}</p>
    ${
      v.publicReply
        ? html`<div class="card">
            <strong>${t((m) => m.survey.reply)}</strong>
            <div class="reply">${v.publicReply}</div>
          </div>`
        : ''
    }
    ${problems(problems_, t)}
    <form method="post" action="${PREFIX}/s/${token}">
      <input type="hidden" name="_form" value="${formToken}" />
      <fieldset class="card">
        <legend>${t((m) => m.survey.contacted)}</legend>
        ${radios('contacted', [
          ['true', t((m) => m.survey.yes)],
          ['false', t((m) => m.survey.no)],
        ])}
      </fieldset>
      <fieldset class="card">
        <legend>${t((m) => m.survey.resolved)}</legend>
        ${radios('resolved', [
          ['true', t((m) => m.survey.isResolved)],
          ['false', t((m) => m.survey.notResolved)],
        ])}
      </fieldset>
      <fieldset class="card">
        <legend>${t((m) => m.survey.satisfaction)}</legend>
        ${radios('satisfaction', [
          ['satisfied', t((m) => m.survey.satisfied)],
          ['basically_satisfied', t((m) => m.survey.basically)],
          ['unsatisfied', t((m) => m.survey.unsatisfied)],
        ])}
      </fieldset>
      <fieldset class="card">
        <legend>${t((m) => m.survey.comment)}</legend>
        <textarea name="comment" maxlength="2000" aria-label="${t((m) => m.survey.comment)}"></textarea>
      </fieldset>
      <button type="submit">${t((m) => m.survey.submit)}</button>
    </form>
    <p class="muted">${t((m) => m.survey.once, { when: when(v.expiresAt, lang) })}</p>`;
}

export function thanksPage(t: T): Html {
  return html`<h1>${t((m) => m.survey.thanks)}</h1>
    <p class="card">${t((m) => m.survey.thanksText)}</p>
    <a class="button secondary" href="${PREFIX}">${t((m) => m.errors.home)}</a>`;
}

export function errorPage(t: T, title: string, message: string, back?: string): Html {
  return html`<h1>${title}</h1>
    <div class="error" role="alert">${message}</div>
    ${back ? html`<a class="button" href="${back}">${t((m) => m.errors.back)}</a>` : ''}
    <a class="button secondary" href="${PREFIX}">${t((m) => m.errors.home)}</a>`;
}
