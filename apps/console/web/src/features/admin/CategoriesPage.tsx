/** 诉求分类: the category taxonomy (three levels), its keywords for the suggestion, add, rename, retire. */
import { Button, Card, Col, Form, Input, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useAllCategories, useSaveCategory } from './api';
import type { Category } from './types';

type Row = Category & { children?: Row[] };

export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useAllCategories();
  const save = useSaveCategory();
  const [editing, setEditing] = useState<Category | null>(null);
  const [form] = Form.useForm<{ code: string; nameZh: string; nameEn: string; keywords: string[]; active: boolean }>();
  const tree = useMemo(() => {
    const list = categories.data ?? [];
    const build = (parent: string | null): Row[] =>
      list
        .filter((c) => c.parentCode === parent)
        .map((c) => {
          const children = build(c.code);
          return children.length ? { ...c, children } : { ...c };
        });
    return build(null);
  }, [categories.data]);
  const edit = (c: Category | null) => {
    setEditing(c);
    form.setFieldsValue(c ?? { code: '', nameZh: '', nameEn: '', keywords: [], active: true });
  };
  return (
    <Row gutter={16}>
      <Col span={16}>
        <Card
          size="small"
          title={t('admin.categories.title')}
          extra={<Button onClick={() => edit(null)}>{t('admin.categories.add')}</Button>}
        >
          {categories.isError && <ErrorNote error={categories.error} />}
          <Table<Row>
            data-testid="categories"
            rowKey="code"
            size="small"
            loading={categories.isPending}
            dataSource={tree}
            pagination={false}
            scroll={{ y: 'calc(100vh - 260px)' }}
            onRow={(c) => ({ onClick: () => edit(c), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('admin.categories.name'), dataIndex: 'nameZh', render: (v: string, c) => <span title={c.nameEn}>{v}</span> },
              { title: t('admin.categories.code'), dataIndex: 'code' },
              { title: t('admin.categories.keywords'), dataIndex: 'keywords', ellipsis: true, render: (k: string[]) => k.join('、') },
              {
                title: t('admin.common.state'),
                dataIndex: 'active',
                width: 70,
                render: (a: boolean) => (a ? <Tag color="green">{t('admin.common.active')}</Tag> : <Tag>{t('admin.common.retired')}</Tag>),
              },
            ]}
          />
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small" title={editing ? t('admin.categories.edit', { code: editing.code }) : t('admin.categories.add')}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ active: true, keywords: [] }}
            onFinish={(v) => void save.mutateAsync({ ...v, keywords: v.keywords ?? [] }).catch(() => undefined)}
          >
            <Form.Item name="code" label={t('admin.categories.code')} rules={[{ required: true }]} extra={t('admin.categories.codeHint')}>
              <Input disabled={Boolean(editing)} />
            </Form.Item>
            <Form.Item name="nameZh" label={t('admin.categories.nameZh')} rules={[{ required: true }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="nameEn" label={t('admin.categories.nameEn')} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="keywords" label={t('admin.categories.keywords')} extra={t('admin.categories.keywordsHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
            </Form.Item>
            <Form.Item name="active" label={t('admin.categories.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('admin.common.save')}
            </Button>
            {save.isSuccess && <Typography.Text type="success"> {t('admin.common.saved')}</Typography.Text>}
            <ErrorNote error={save.error} />
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
