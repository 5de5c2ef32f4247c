import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';

/** How a refusal reads on screen: a Chinese heading by status, then the service's own reason and fields. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): { title: string; detail: string } => {
    if (!(error instanceof ApiError)) {
      return { title: t('errors.network'), detail: error instanceof Error ? error.message : '' };
    }
    const title =
      error.code === 'csrf'
        ? t('errors.csrf')
        : error.status >= 500
          ? t('errors.status5xx')
          : t(`errors.status${error.status}`, { defaultValue: t('errors.status400') });
    const fields = error.fields.map((f) => `${t(`fields.${f.field}`, { defaultValue: f.field })}：${f.reason}`);
    const detail = fields.length ? fields.join('；') : error.message;
    return { title, detail };
  };
}

/** Shown next to the action that was refused. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const { title, detail } = text(error);
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      title={title}
      description={detail ? `${t('errors.reason')}${detail}` : undefined}
      style={{ marginTop: 12 }}
    />
  );
}
