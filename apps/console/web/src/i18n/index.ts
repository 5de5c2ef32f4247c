/**
 * i18next with zh-CN first and English by a switch. Shared strings live in ./zh-CN.json and ./en.json;
 * each feature keeps its own in src/features/<stage>/i18n/{zh-CN,en}.json, loaded under the feature's
 * name as a key prefix (t('intake.desk.title')), so two features never edit the same file.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'jiesu.language';

type Tree = Record<string, unknown>;
const featureFiles = import.meta.glob<Tree>('../features/*/i18n/*.json', { eager: true, import: 'default' });

function bundle(language: Language, shared: Tree): Tree {
  const out: Tree = { ...shared };
  for (const [path, tree] of Object.entries(featureFiles)) {
    const m = /features\/([^/]+)\/i18n\/([^/]+)\.json$/.exec(path);
    if (m && m[2] === language) out[m[1]] = tree;
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

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: bundle('zh-CN', zhCN) },
    en: { translation: bundle('en', en) },
  },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
