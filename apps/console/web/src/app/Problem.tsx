/**
 * The shell's rare answers, a chunk of their own (Ant Design's Result carries large illustrations):
 * 404 for a path that is no screen of the person's, and the session check that failed.
 */
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('app.notFound')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('app.backHome')}
        </Button>
      }
    />
  );
}

export function SessionFailed(props: { title: string; detail?: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result status="error" title={props.title} subTitle={props.detail} extra={<Button onClick={props.onRetry}>{t('app.retry')}</Button>} />
  );
}
