/**
 * Actions on an order, in the order they happen: a row of buttons (disabled, with the reason, when the
 * state does not allow them), and under it the form of the chosen one. A refusal from the service shows
 * next to the form, which keeps what was typed.
 */
import { Button, Card, Form, Space, Tooltip, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';

export interface ActionDef {
  key: string;
  label: string;
  /** Null when allowed; otherwise why not (shown on the disabled button). */
  blocked: string | null;
  /** A form to fill before the step; without one the button takes the step at once. */
  form?: ReactNode;
  /** The step; throws the service's refusal. */
  run: (values: Record<string, unknown>) => Promise<unknown>;
  danger?: boolean;
  pending?: boolean;
  error?: unknown;
  /** The form values to start with. */
  initial?: Record<string, unknown>;
}

export function ActionPanel({ actions, title }: { actions: ActionDef[]; title: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm();
  const current = actions.find((a) => a.key === open && a.form !== undefined);
  const immediateError = actions.find((a) => a.form === undefined && a.error)?.error;
  return (
    <Card size="small" title={title}>
      <Space wrap>
        {actions.map((a) => (
          <Tooltip key={a.key} title={a.blocked ?? undefined}>
            <Button
              type={open === a.key ? 'primary' : 'default'}
              danger={a.danger}
              disabled={a.blocked !== null}
              loading={!a.form && a.pending}
              onClick={() => {
                if (a.form) setOpen(open === a.key ? null : a.key);
                else void a.run({}).catch(() => undefined);
              }}
            >
              {a.label}
            </Button>
          </Tooltip>
        ))}
      </Space>
      {immediateError !== undefined && <ErrorNote error={immediateError} />}
      {current && (
        // Keyed by its starting values too: a form opened before what they come from had arrived (the
        // units under the unit, for 下派's community) starts again with them once it arrives.
        <StepForm
          key={`${current.key}:${JSON.stringify(current.initial ?? {})}`}
          form={form}
          action={current}
          submitLabel={t('handling.submit')}
        >
          {current.form}
        </StepForm>
      )}
    </Card>
  );
}

function StepForm(props: { form: FormInstance; action: ActionDef; submitLabel: string; children: ReactNode }) {
  const a = props.action;
  return (
    <Form
      form={props.form}
      layout="vertical"
      style={{ marginTop: 12 }}
      initialValues={a.initial}
      aria-label={a.label}
      onFinish={(values: Record<string, unknown>) => {
        void a
          .run(values)
          .then(() => props.form.resetFields())
          .catch(() => undefined); // the refusal shows below; the form keeps what was typed
      }}
    >
      {props.children}
      <Button type="primary" htmlType="submit" danger={a.danger} loading={a.pending}>
        {`${props.submitLabel}${a.label}`}
      </Button>
      <ErrorNote error={a.error} />
    </Form>
  );
}
