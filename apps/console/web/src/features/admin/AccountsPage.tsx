/** 人员账号: staff accounts (the console's admin API) — list, add, change, disable, reset password, import a spreadsheet, the audit log. */
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import {
  useAccounts,
  useAccountState,
  useAllUnits,
  useAudit,
  useCreateAccount,
  useImportAccounts,
  useResetPassword,
  useUpdateAccount,
  type AccountBody,
} from './api';
import { useUnitName } from './OrgPage';
import type { Account, AuditEntry } from './types';

/**
 * A name in a cell (a person, a unit, a login name): two lines at most, the whole of it on hover, so a
 * long bilingual name does not make the row five lines tall at 1366×768.
 */
const twoLines = (v: string | null | undefined) => (
  <span className="cell-two-lines" title={v ?? undefined}>
    {v}
  </span>
);

const ROLES = ['operator', 'dispatcher', 'handler', 'unit_head', 'callback_agent', 'supervisor', 'analyst', 'admin'] as const;

function AccountModal({ account, open, onClose }: { account: Account | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateAccount();
  const update = useUpdateAccount();
  const units = useAllUnits().data ?? [];
  const name = useUnitName();
  const [form] = Form.useForm<AccountBody>();
  const m = account ? update : create;
  const submit = (v: AccountBody) => {
    const body: AccountBody = {
      ...v,
      unitId: v.unitId ?? null,
      mobile: v.mobile || undefined,
      email: v.email?.trim() || undefined,
      password: v.password || undefined,
    };
    const done = account
      ? update.mutateAsync({ id: account.id, body: { ...body, loginName: undefined, password: undefined } })
      : create.mutateAsync(body);
    void done.then(onClose, () => undefined);
  };
  return (
    <Modal
      open={open}
      title={account ? t('admin.accounts.edit', { name: account.displayName }) : t('admin.accounts.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.common.save')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={account ?? { roles: [], districts: [] }} onFinish={submit}>
        <Form.Item name="loginName" label={t('admin.accounts.loginName')} rules={[{ required: true }]}>
          <Input disabled={Boolean(account)} />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.accounts.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="mobile" label={t('admin.accounts.mobile')} extra={account?.mobileMasked ?? undefined}>
          <Input placeholder="13812345678" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('admin.accounts.email')}
          extra={account?.emailMasked ?? t('admin.accounts.emailHint')}
          rules={[{ type: 'email', message: t('admin.accounts.emailInvalid') }]}
        >
          <Input type="email" />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.accounts.roles')} rules={[{ required: true }]}>
          <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="districts"
          label={t('admin.accounts.districts')}
          rules={[{ required: true }]}
          extra={t('admin.accounts.districtsHint')}
        >
          <Select
            mode="tags"
            options={[
              { value: '*', label: t('admin.accounts.allDistricts') },
              ...units
                .filter((u) => u.kind === 'district_centre')
                .map((u) => ({ value: u.districtCode, label: `${u.districtCode} ${name(u)}` })),
            ]}
          />
        </Form.Item>
        <Form.Item name="unitId" label={t('admin.accounts.unit')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={units.filter((u) => u.active).map((u) => ({ value: u.id, label: name(u) }))}
          />
        </Form.Item>
        {!account && (
          <Form.Item name="password" label={t('admin.accounts.initialPassword')} extra={t('admin.accounts.passwordHint')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
      <ErrorNote error={m.error} />
    </Modal>
  );
}

function ResetPassword({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  return (
    <Modal
      open={Boolean(account)}
      title={t('admin.accounts.resetTitle', { name: account?.displayName })}
      onCancel={onClose}
      okButtonProps={{ disabled: password.length < 8 }}
      confirmLoading={reset.isPending}
      onOk={() =>
        account &&
        void reset.mutateAsync({ id: account.id, password }).then(
          () => (setPassword(''), onClose()),
          () => undefined,
        )
      }
      destroyOnHidden
    >
      <Input.Password
        aria-label={t('admin.accounts.newPassword')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="new-password"
      />
      <Typography.Paragraph type="secondary">{t('admin.accounts.passwordHint')}</Typography.Paragraph>
      <ErrorNote error={reset.error} />
    </Modal>
  );
}

function ImportTab() {
  const { t } = useTranslation();
  const imp = useImportAccounts();
  const [file, setFile] = useState<File | null>(null);
  const report = imp.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('admin.accounts.importHint')}</Typography.Paragraph>
      <Space>
        <Upload accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => (setFile(f), imp.reset(), false)} onRemove={() => setFile(null)}>
          <Button>{t('admin.accounts.chooseFile')}</Button>
        </Upload>
        <Button disabled={!file} loading={imp.isPending} onClick={() => file && imp.mutate({ file, confirm: false })}>
          {t('admin.accounts.dryRun')}
        </Button>
        <Button
          type="primary"
          disabled={!file || !report || report.outcome !== 'dry-run' || report.valid === 0}
          onClick={() => file && imp.mutate({ file, confirm: true })}
        >
          {t('admin.accounts.confirmImport')}
        </Button>
      </Space>
      <ErrorNote error={imp.error} />
      {report && (
        <>
          <Alert
            type={report.invalid ? 'warning' : 'success'}
            showIcon
            title={t(`admin.accounts.outcome.${report.outcome}`, {
              total: report.total,
              valid: report.valid,
              invalid: report.invalid,
              imported: report.imported,
            })}
          />
          <Table
            rowKey="row"
            size="small"
            pagination={false}
            dataSource={report.rows.filter((r) => !r.ok)}
            columns={[
              { title: t('admin.accounts.row'), dataIndex: 'row', width: 60 },
              { title: t('admin.accounts.loginName'), dataIndex: 'loginName' },
              {
                title: t('admin.accounts.problems'),
                dataIndex: 'errors',
                render: (e: { field: string; reason: string }[]) => e.map((x) => `${x.field}：${x.reason}`).join('；'),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}

function AuditTab() {
  const { t } = useTranslation();
  const audit = useAudit();
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      loading={audit.isPending}
      dataSource={audit.data ?? []}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      columns={[
        { title: t('admin.accounts.at'), dataIndex: 'at', width: 150, render: (v: string) => cityTime(v) },
        { title: t('admin.accounts.actor'), dataIndex: 'actorName', width: 160 },
        { title: t('admin.accounts.action'), dataIndex: 'action', width: 140 },
        {
          title: t('admin.accounts.change'),
          render: (_, e) => {
            const before = e.before ?? {};
            const after = e.after ?? {};
            const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
              (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
            );
            return (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {keys.map((k) => `${k}: ${JSON.stringify(before[k] ?? null)} → ${JSON.stringify(after[k] ?? null)}`).join('；')}
              </Typography.Text>
            );
          },
        },
      ]}
    />
  );
}

export function AccountsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [state, setState] = useState<string>();
  const accounts = useAccounts(q, state);
  const setAccountState = useAccountState();
  const [editing, setEditing] = useState<Account | null>(null);
  const [open, setOpen] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const list = (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Input.Search allowClear placeholder={t('admin.accounts.search')} onSearch={setQ} style={{ width: 240 }} />
        <Select
          allowClear
          placeholder={t('admin.common.state')}
          value={state}
          onChange={setState}
          style={{ width: 120 }}
          options={['active', 'disabled'].map((s) => ({ value: s, label: t(`admin.accounts.states.${s}`) }))}
        />
        <Button type="primary" onClick={() => (setEditing(null), setOpen(true))}>
          {t('admin.accounts.add')}
        </Button>
        <Typography.Text type="secondary">{t('admin.accounts.total', { count: accounts.data?.total ?? 0 })}</Typography.Text>
      </Space>
      {accounts.isError && <ErrorNote error={accounts.error} />}
      <ErrorNote error={setAccountState.error} />
      <Table<Account>
        data-testid="accounts"
        rowKey="id"
        size="small"
        loading={accounts.isPending}
        dataSource={accounts.data?.items ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ y: 'calc(100vh - 360px)' }}
        columns={[
          { title: t('admin.accounts.loginName'), dataIndex: 'loginName', width: 150, render: twoLines },
          { title: t('admin.accounts.displayName'), dataIndex: 'displayName', render: twoLines },
          {
            title: t('admin.accounts.roles'),
            dataIndex: 'roles',
            render: (r: string[]) => r.map((x) => <Tag key={x}>{t(`roles.${x}`, { defaultValue: x })}</Tag>),
          },
          { title: t('admin.accounts.districts'), dataIndex: 'districts', width: 80, render: (d: string[]) => d.join(', ') },
          { title: t('admin.accounts.unit'), dataIndex: 'unitName', render: twoLines },
          { title: t('admin.accounts.mobile'), dataIndex: 'mobileMasked', width: 110 },
          { title: t('admin.accounts.email'), dataIndex: 'emailMasked', width: 130, ellipsis: true },
          {
            title: t('admin.common.state'),
            width: 90,
            render: (_, a) => (
              <>
                <Tag color={a.state === 'active' ? 'green' : undefined}>
                  {t(`admin.accounts.states.${a.state}`, { defaultValue: a.state })}
                </Tag>
                {a.locked && <Tag color="red">{t('admin.accounts.locked')}</Tag>}
              </>
            ),
          },
          {
            title: '',
            // wide enough for 修改 重置密码 停用 and Edit · Reset password · Disable
            width: 250,
            render: (_, a) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => (setEditing(a), setOpen(true))}>
                  {t('admin.common.edit')}
                </Button>
                <Button size="small" type="link" onClick={() => setResetting(a)}>
                  {t('admin.accounts.reset')}
                </Button>
                <Popconfirm
                  title={a.state === 'active' ? t('admin.accounts.disableConfirm') : t('admin.accounts.enableConfirm')}
                  onConfirm={() => setAccountState.mutate({ id: a.id, enable: a.state !== 'active' })}
                >
                  <Button size="small" type="link" danger={a.state === 'active'}>
                    {a.state === 'active' ? t('admin.accounts.disable') : t('admin.accounts.enable')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
  return (
    <Card size="small">
      <Tabs
        items={[
          { key: 'list', label: t('admin.accounts.list'), children: list },
          { key: 'import', label: t('admin.accounts.import'), children: <ImportTab /> },
          { key: 'audit', label: t('admin.accounts.audit'), children: <AuditTab /> },
        ]}
      />
      <AccountModal account={editing} open={open} onClose={() => setOpen(false)} />
      <ResetPassword account={resetting} onClose={() => setResetting(null)} />
    </Card>
  );
}
