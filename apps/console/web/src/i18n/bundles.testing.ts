/**
 * The web's translations as the app assembles them (shared strings plus each feature's under its
 * name), read from the files with Node, for the web's unit tests (never imported by the app).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n } from 'i18next';

export type Tree = Record<string, unknown>;
const SRC = join(__dirname, '..');

const read = (path: string): Tree => JSON.parse(readFileSync(path, 'utf8')) as Tree;

export function webBundle(language: 'zh-CN' | 'en'): Tree {
  const out: Tree = { ...read(join(SRC, 'i18n', `${language}.json`)) };
  for (const feature of readdirSync(join(SRC, 'features'))) {
    const dir = join(SRC, 'features', feature, 'i18n');
    try {
      out[feature] = read(join(dir, `${language}.json`));
    } catch {
      // a feature without strings
    }
  }
  return out;
}

/** Every leaf key of a bundle, dotted. */
export function leafKeys(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Tree).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** An i18next instance like the app's (zh-CN first), in the given language. */
export async function webI18n(language: 'zh-CN' | 'en'): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { 'zh-CN': { translation: webBundle('zh-CN') }, en: { translation: webBundle('en') } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** Every file under a folder of the web's sources with the given endings. */
export function sourceFiles(dir = SRC, endings = ['.ts', '.tsx']): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name), endings) : endings.some((x) => e.name.endsWith(x)) ? [join(dir, e.name)] : [],
  );
}
