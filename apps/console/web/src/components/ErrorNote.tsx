import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';

/** How a refusal reads on screen (errorText, with the current language). */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): { title: string; detail: string } => errorText(error, t);
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
