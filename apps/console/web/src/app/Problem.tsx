/**
 * The shell's rare answers, a chunk of their own (Ant Design's Result carries large illustrations):
 * 404 for a path that is no screen at all, 403 for a screen that is not the person's role's, and the
 * session check that failed.
 */
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { roleNames } from '../api/error-text';
import { useSession } from '../api/session';

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

/** 403: a screen of other roles (the address typed or followed), saying whose it is, in the language. */
export function Forbidden({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mine = useSession().data?.roles ?? [];
  return (
    <Result
      status="403"
      title={t('app.forbidden')}
      subTitle={t('app.forbiddenText', { roles: roleNames(roles, t), mine: roleNames(mine, t) })}
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
