/**
 * i18next with zh-CN first and English by a switch. Shared strings live in ./zh-CN.json and ./en.json;
 * each feature keeps its own in src/features/<stage>/i18n/{zh-CN,en}.json, loaded under the feature's
 * name as a key prefix (t('intake.desk.title')), so two features never edit the same file.
 * The Chinese strings are in the first screen's script; the English ones (./english.ts) are a chunk of
 * their own, loaded before the first render when English was chosen, or by the switch.
 */
import type { Locale } from 'antd/es/locale';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'jiesu.language';

type Tree = Record<string, unknown>;
const featureFiles = import.meta.glob<Tree>('../features/*/i18n/zh-CN.json', { eager: true, import: 'default' });

function chineseBundle(): Tree {
  const out: Tree = { ...zhCN };
  for (const [path, tree] of Object.entries(featureFiles)) {
    const m = /features\/([^/]+)\/i18n\/zh-CN\.json$/.exec(path);
    if (m) out[m[1]] = tree;
  }
  return out;
}

export function storedLanguage(): Language {
  const v = window.localStorage.getItem(STORAGE_KEY);
  return v === 'en' ? 'en' : 'zh-CN';
}

export function rememberLanguage(language: Language): void {
  window.localStorage.setItem(STORAGE_KEY, language);
}

/** Ant Design's English locale, once the English chunk is loaded (zh-CN is the provider's default). */
export let antdEnglish: Locale | undefined;

async function loadEnglish(): Promise<void> {
  if (i18n.hasResourceBundle('en', 'translation')) return;
  const english = await import('./english');
  antdEnglish = english.antdEnglish;
  i18n.addResourceBundle('en', 'translation', english.englishBundle);
}

/** Switches the language (loading English first if needed) and remembers the choice. */
export async function switchLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  if (language === 'en') await loadEnglish();
  await i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: chineseBundle() } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Resolves when the language the person chose can be shown: render after it, so no Chinese flashes by. */
export const i18nReady: Promise<void> =
  storedLanguage() === 'en' ? loadEnglish().catch(() => undefined) /* shown in Chinese, the fallback */ : Promise.resolve();

export default i18n;
