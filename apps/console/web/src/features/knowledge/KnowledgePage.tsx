/** 知识库: search the answers operators give on the spot; supervisors and administrators add and edit them. */
import { Button, Card, Col, DatePicker, Empty, Form, Input, List, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { dayjs } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useCategories } from '../intake/hooks';
import { useArticles, useCreateArticle, useUpdateArticle, type Article } from './api';

interface FormValues {
  title: string;
  body: string;
  categoryCodes: string[];
  valid?: [dayjs.Dayjs | null, dayjs.Dayjs | null];
}

function Editor({ article, onDone }: { article: Article | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const categories = useCategories().data ?? [];
  const create = useCreateArticle();
  const update = useUpdateArticle();
  const m = article ? update : create;
  const [form] = Form.useForm<FormValues>();
  const submit = (v: FormValues) => {
    const body = {
      title: v.title,
      body: v.body,
      categoryCodes: v.categoryCodes ?? [],
      validFrom: v.valid?.[0]?.format('YYYY-MM-DD'),
      validTo: v.valid?.[1]?.format('YYYY-MM-DD'),
    };
    const done = article ? update.mutateAsync({ id: article.id, body }) : create.mutateAsync(body);
    void done.then(onDone, () => undefined);
  };
  return (
    <Card size="small" title={article ? t('knowledge.edit') : t('knowledge.add')}>
      <Form
        key={article?.id ?? 'new'}
        form={form}
        layout="vertical"
        initialValues={
          article
            ? {
                ...article,
                valid: [article.validFrom ? dayjs(article.validFrom) : null, article.validTo ? dayjs(article.validTo) : null],
              }
            : { categoryCodes: [] }
        }
        onFinish={submit}
      >
        <Form.Item name="title" label={t('knowledge.title')} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="body" label={t('knowledge.body')} rules={[{ required: true }]}>
          <Input.TextArea rows={8} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="categoryCodes" label={t('knowledge.categories')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            options={categories.map((c) => ({ value: c.code, label: `${i18n.language === 'en' ? c.nameEn : c.nameZh} (${c.code})` }))}
          />
        </Form.Item>
        <Form.Item name="valid" label={t('knowledge.valid')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={m.isPending}>
            {t('knowledge.save')}
          </Button>
          <Button onClick={onDone}>{t('knowledge.cancel')}</Button>
        </Space>
        <ErrorNote error={m.error} />
      </Form>
    </Card>
  );
}

export function KnowledgePage() {
  const { t, i18n } = useTranslation();
  const roles = useSession().data?.roles ?? [];
  const canEdit = roles.includes('admin') || roles.includes('supervisor');
  const [q, setQ] = useState('');
  const [expired, setExpired] = useState(false);
  const [editing, setEditing] = useState<Article | 'new' | null>(null);
  const [open, setOpen] = useState<Article | null>(null);
  const articles = useArticles(q, expired);
  const categories = useCategories().data ?? [];
  const catName = (code: string) => {
    const c = categories.find((x) => x.code === code);
    return c ? (i18n.language === 'en' ? c.nameEn : c.nameZh) : code;
  };
  const today = dayjs().format('YYYY-MM-DD');
  const side = editing ? (
    <Editor article={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
  ) : open ? (
    <Card
      size="small"
      title={open.title}
      data-testid="article"
      extra={
        canEdit && (
          <Button size="small" onClick={() => setEditing(open)}>
            {t('knowledge.edit')}
          </Button>
        )
      }
    >
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{open.body}</Typography.Paragraph>
      <Space wrap>
        {open.categoryCodes.map((c) => (
          <Tag key={c}>{catName(c)}</Tag>
        ))}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('knowledge.validity', { from: open.validFrom ?? '—', to: open.validTo ?? '—' })}
      </Typography.Paragraph>
    </Card>
  ) : (
    <Card size="small">
      <Empty description={t('knowledge.pick')} />
    </Card>
  );
  return (
    <Row gutter={16}>
      <Col span={13}>
        <Card
          size="small"
          title={
            <Input.Search
              allowClear
              enterButton
              aria-label={t('knowledge.search')}
              placeholder={t('knowledge.searchPlaceholder')}
              onSearch={(v) => setQ(v.trim())}
              style={{ maxWidth: 420 }}
            />
          }
          extra={
            <Space>
              <Switch size="small" checked={expired} onChange={setExpired} /> {t('knowledge.includeExpired')}
              {canEdit && (
                <Button type="primary" onClick={() => setEditing('new')}>
                  {t('knowledge.add')}
                </Button>
              )}
            </Space>
          }
        >
          {articles.isError && <ErrorNote error={articles.error} />}
          <div data-testid="articles">
            <List<Article>
              loading={articles.isPending}
              dataSource={articles.data ?? []}
              locale={{ emptyText: q ? t('knowledge.noHits') : t('knowledge.empty') }}
              style={{ maxHeight: 'calc(100vh - 230px)', overflow: 'auto' }}
              renderItem={(a) => {
                const lapsed = (a.validTo && a.validTo < today) || (a.validFrom && a.validFrom > today);
                return (
                  <List.Item onClick={() => (setOpen(a), setEditing(null))} style={{ cursor: 'pointer' }}>
                    <List.Item.Meta
                      title={
                        <Space>
                          {a.title}
                          {lapsed && <Tag>{t('knowledge.expired')}</Tag>}
                        </Space>
                      }
                      description={
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                          {a.body}
                        </Typography.Paragraph>
                      }
                    />
                  </List.Item>
                );
              }}
            />
          </div>
        </Card>
      </Col>
      <Col span={11}>{side}</Col>
    </Row>
  );
}
