import en from './i18n/en.json';
import zh from './i18n/zh-CN.json';

export type Messages = typeof zh;
export type Lang = 'zh-CN' | 'en';

/** English has every key Chinese has (a missing key is a compile error). */
const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zh, en: en satisfies Messages };

export const LANG_COOKIE = 'jiesu_lang';

/** Chinese unless the citizen chose English (`?lang=en`, then remembered in a cookie). */
export function langOf(query: unknown, cookie: unknown): Lang {
  if (query === 'en' || query === 'zh-CN') return query;
  return cookie === 'en' ? 'en' : 'zh-CN';
}

export type T = (pick: (m: Messages) => string, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): T {
  const m = MESSAGES[lang];
  return (pick, vars) => pick(m).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars?.[k] ?? ''));
}

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}
