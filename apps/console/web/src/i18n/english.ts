/**
 * The English strings (shared and every feature's) and Ant Design's English locale: one chunk, loaded
 * only when someone switches to English (or had chosen it), so the Chinese first screen does not carry it.
 */
import antdEnglish from 'antd/locale/en_US';
import en from './en.json';

type Tree = Record<string, unknown>;
const featureFiles = import.meta.glob<Tree>('../features/*/i18n/en.json', { eager: true, import: 'default' });

export const englishBundle: Tree = { ...en };
for (const [path, tree] of Object.entries(featureFiles)) {
  const m = /features\/([^/]+)\/i18n\/en\.json$/.exec(path);
  if (m) englishBundle[m[1]] = tree;
}

export { antdEnglish };
