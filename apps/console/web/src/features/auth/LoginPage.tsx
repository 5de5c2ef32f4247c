import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/http';
import { useAuthConfig, useLogin, useSession, type LoginInput } from '../../api/session';
import { useErrorText } from '../../components/ErrorNote';
import { homeOf } from '../../app/nav';

/** Only same-origin paths: an attacker's returnTo must not send the person elsewhere. */
function safeReturnTo(value: string | null): string | null {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSession();
  const config = useAuthConfig();
  const login = useLogin();
  const errorText = useErrorText();
  const [form] = Form.useForm<LoginInput>();
  const [needTotp, setNeedTotp] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const returnTo = safeReturnTo(params.get('returnTo'));
  const ssoError = params.get('error');

  useEffect(() => {
    if (ssoError) setMessage(t('login.ssoFailed', { reason: ssoError }));
  }, [ssoError, t]);

  if (session.data) return <Navigate to={returnTo ?? homeOf(session.data.roles)} replace />;

  const submit = (values: LoginInput) => {
    setMessage(null);
    login.mutate(
      { loginName: values.loginName, password: values.password, ...(values.totp ? { totp: values.totp } : {}) },
      {
        onError: (e) => {
          if (e instanceof ApiError && e.code === 'totp_required') {
            setMessage(needTotp ? t('login.totpWrong') : t('login.totpRequired'));
            setNeedTotp(true);
          } else if (e instanceof ApiError && e.status === 401) {
            setMessage(t('login.invalidCredentials'));
          } else if (e instanceof ApiError && e.status === 429) {
            setMessage(t('login.tooMany'));
          } else {
            const { title, detail } = errorText(e);
            setMessage(detail ? `${title}（${detail}）` : title);
          }
        },
      },
    );
  };

  const ssoHref = `/auth/oidc/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`;

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('app.subtitle')}</Typography.Paragraph>
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {t('login.title')}
        </Typography.Title>
        <Form<LoginInput> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={t('login.loginName')}
            name="loginName"
            rules={[{ required: true, whitespace: true, message: t('login.required', { field: t('login.loginName') }) }]}
          >
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              label={t('login.totp')}
              name="totp"
              extra={t('login.totpHint')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpHint') }]}
            >
              <Input autoFocus inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
          {message && <Alert role="alert" type="error" showIcon title={message} style={{ marginTop: 12 }} />}
        </Form>
        {config.data?.oidcEnabled && (
          <>
            <Divider plain />
            <Button block href={ssoHref}>
              {t('login.sso', { label: config.data.oidcLabel ?? t('login.ssoDefault') })}
            </Button>
          </>
        )}
      </Card>
    </main>
  );
}
