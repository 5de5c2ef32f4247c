/**
 * 到期回访: per district, whether the citizen is called back when the finish limit expires without a reply
 * (the Beijing rule). A city-scope administrator flips the switch (with a reason for the log); anyone else gets
 * callback's 403 and its reason on screen. Below, the change log.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatch } from '../../api/clients';
import { useDistrictName } from '../../api/names';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useExpiryPolicies, useExpiryPolicyChanges, useSetExpiryPolicy } from './api';
import type { ExpiryPolicy, ExpiryPolicyChange } from './types';

interface DistrictRow {
  districtCode: string;
  policy: ExpiryPolicy | null;
}

/** The districts the organisation knows (their district centres), so that a district without a policy row shows too. */
function useDistrictCodes() {
  return useQuery({
    queryKey: ['dispatch', 'org', 'districts', 'codes'],
    queryFn: async () =>
      ((await dispatch.GET('/org/units', { params: { query: { kind: 'district_centre' } } })).data ?? []) as unknown as {
        districtCode: string;
      }[],
    staleTime: 30 * 60_000,
  });
}

export function ExpiryPoliciesPage() {
  const { t } = useTranslation();
  const districtName = useDistrictName();
  const policies = useExpiryPolicies();
  const districts = useDistrictCodes();
  const [selected, setSelected] = useState<string | undefined>();
  const changes = useExpiryPolicyChanges(selected);
  const set = useSetExpiryPolicy();
  const [note, setNote] = useState('');

  const rows = useMemo<DistrictRow[]>(() => {
    const byCode = new Map((policies.data ?? []).map((p) => [p.districtCode, p]));
    const codes = new Set([...(districts.data ?? []).map((d) => d.districtCode), ...byCode.keys()]);
    return [...codes].sort().map((districtCode) => ({ districtCode, policy: byCode.get(districtCode) ?? null }));
  }, [policies.data, districts.data]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('admin.expiry.title')}>
        <Typography.Paragraph type="secondary">{t('admin.expiry.hint')}</Typography.Paragraph>
        {policies.isError && <ErrorNote error={policies.error} />}
        <div data-testid="expiry-error">
          <ErrorNote error={set.error} />
        </div>
        {set.data && (
          <Alert
            type="success"
            showIcon
            closable
            style={{ marginBottom: 8 }}
            title={t(set.data.enabled ? 'admin.expiry.turnedOn' : 'admin.expiry.turnedOff', {
              district: districtName(set.data.districtCode),
            })}
          />
        )}
        <Input
          aria-label={t('admin.expiry.note')}
          placeholder={t('admin.expiry.notePlaceholder')}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          style={{ marginBottom: 12, maxWidth: 480 }}
        />
        <Table<DistrictRow>
          data-testid="expiry-policies"
          rowKey="districtCode"
          size="small"
          loading={policies.isPending || districts.isPending}
          dataSource={rows}
          pagination={false}
          onRow={(r) =>
            ({ 'data-district': r.districtCode, onClick: () => setSelected(r.districtCode), style: { cursor: 'pointer' } }) as never
          }
          rowSelection={undefined}
          columns={[
            { title: t('admin.expiry.district'), dataIndex: 'districtCode', render: (v: string) => `${districtName(v)}（${v}）` },
            {
              title: t('admin.expiry.policy'),
              width: 160,
              render: (_, r) => (
                <Space onClick={(e) => e.stopPropagation()}>
                  <Switch
                    aria-label={t('admin.expiry.switch', { district: districtName(r.districtCode) })}
                    checked={r.policy?.enabled ?? false}
                    loading={set.isPending && set.variables?.district === r.districtCode}
                    onChange={(enabled) =>
                      set.mutate({ district: r.districtCode, enabled, note: note.trim() || undefined }, { onSuccess: () => setNote('') })
                    }
                  />
                  {r.policy?.enabled ? <Tag color="green">{t('admin.expiry.on')}</Tag> : <Tag>{t('admin.expiry.off')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('admin.expiry.updated'),
              render: (_, r) =>
                r.policy ? `${cityTime(r.policy.updatedAt)} ${r.policy.updatedByName ?? r.policy.updatedBy}` : t('admin.expiry.never'),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={selected ? t('admin.expiry.changesOf', { district: districtName(selected) }) : t('admin.expiry.changes')}
        extra={selected && <Typography.Link onClick={() => setSelected(undefined)}>{t('admin.expiry.allDistricts')}</Typography.Link>}
      >
        {changes.isError && <ErrorNote error={changes.error} />}
        <Table<ExpiryPolicyChange>
          data-testid="expiry-changes"
          rowKey="id"
          size="small"
          loading={changes.isPending}
          dataSource={changes.data ?? []}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          locale={{ emptyText: t('admin.expiry.noChanges') }}
          columns={[
            { title: t('admin.expiry.at'), dataIndex: 'at', width: 140, render: (v: string) => cityTime(v) },
            { title: t('admin.expiry.district'), dataIndex: 'districtCode', width: 140, render: (v: string) => districtName(v) },
            {
              title: t('admin.expiry.change'),
              width: 140,
              render: (_, c) =>
                `${c.enabledBefore === null ? '—' : t(c.enabledBefore ? 'admin.expiry.on' : 'admin.expiry.off')} → ${t(c.enabledAfter ? 'admin.expiry.on' : 'admin.expiry.off')}`,
            },
            { title: t('admin.expiry.by'), width: 120, render: (_, c) => c.changedByName ?? c.changedBy },
            { title: t('admin.expiry.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
    </Space>
  );
}
