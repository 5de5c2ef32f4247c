import { Popover, Space, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';

const KEYS = [
  ['Alt', 'N'],
  ['Ctrl', 'Enter'],
  ['Alt', 'S'],
  ['Tab'],
] as const;
const WHAT = ['newCall', 'submit', 'supplement', 'next'] as const;

/** The screen's keyboard shortcuts, always one click (or a focus) away. */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const content = (
    <Space direction="vertical" size={4}>
      {KEYS.map((keys, i) => (
        <Space key={WHAT[i]} size={4}>
          {keys.map((k, j) => (
            <Fragment key={k}>
              {j > 0 && '+'}
              <kbd>{k}</kbd>
            </Fragment>
          ))}
          <Typography.Text>{t(`intake.shortcuts.${WHAT[i]}`)}</Typography.Text>
        </Space>
      ))}
    </Space>
  );
  return (
    <Popover content={content} title={t('app.shortcuts')} trigger={['hover', 'focus']}>
      <Typography.Link tabIndex={0} data-testid="shortcut-help">
        {t('intake.shortcuts.label')}
      </Typography.Link>
    </Popover>
  );
}
