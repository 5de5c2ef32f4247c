import { Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { AssistPanel } from './AssistPanel';
import { CallerHistory } from './CallerHistory';
import { useAssist, useCategories, useCreateTicket, useDebounced, usePlaceLine, usePlaces } from './hooks';
import { ResultCard } from './ResultCard';
import { ShortcutHelp } from './ShortcutHelp';
import { SupplementDrawer } from './SupplementDrawer';
import { CHANNELS, REQUEST_TYPES, URGENCIES, type CreateTicketBody, type CreatedTicket } from './types';
import { useShortcuts } from './useShortcuts';

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export interface DeskValues {
  phone: string;
  name: string;
  channel: CreateTicketBody['channel'];
  requestType: CreateTicketBody['requestType'];
  categoryCode?: string;
  urgency: NonNullable<CreateTicketBody['urgency']>;
  content: string;
  address: string;
  districtCode?: string;
  streetCode?: string;
  communityCode?: string;
  identityHidden: boolean;
  /** The caller asks that the order stay off the community's problem wall (问题墙). */
  publicWallOptOut?: boolean;
}

export type Decision =
  | { kind: 'dispatch' }
  | { kind: 'merge'; ticketId: string; orderNo: string }
  | { kind: 'answered'; articleId: string; answer: string }
  | { kind: 'not_accepted'; reason: NonNullable<CreateTicketBody['notAcceptedReason']> };

const INITIAL: Partial<DeskValues> = { channel: 'phone_12345', requestType: 'complaint', urgency: 'ordinary', identityHidden: false };

/** 受理台: the operator takes a call — by keyboard alone, in under a minute. */
export function DeskPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<DeskValues>();
  const phoneRef = useRef<{ focus: () => void } | null>(null);
  const [touched, setTouched] = useState<Set<keyof DeskValues>>(new Set());
  const [merge, setMerge] = useState<{ ticketId: string; orderNo: string } | null>(null);
  const [result, setResult] = useState<CreatedTicket | null>(null);
  const [supplementOpen, setSupplementOpen] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const create = useCreateTicket();
  const categories = useCategories();
  const places = usePlaces();
  const placeLine = usePlaceLine();

  const phone = Form.useWatch('phone', form) ?? '';
  const content = Form.useWatch('content', form) ?? '';
  const address = Form.useWatch('address', form) ?? '';
  const categoryCode = Form.useWatch('categoryCode', form);
  const districtCode = Form.useWatch('districtCode', form);
  const streetCode = Form.useWatch('streetCode', form);
  const communityCode = Form.useWatch('communityCode', form);
  const validPhone = PHONE.test(phone.trim()) ? phone.trim() : undefined;

  // Suggestions follow the typing, 150 ms after the last keystroke.
  const assistInput = useDebounced(
    useMemo(
      () =>
        content.trim()
          ? {
              content: content.trim(),
              ...(address.trim() ? { address: address.trim() } : {}),
              ...(validPhone ? { phone: validPhone } : {}),
              ...(touched.has('categoryCode') && categoryCode ? { categoryCode } : {}),
              ...(touched.has('districtCode') && districtCode ? { districtCode } : {}),
            }
          : null,
      [content, address, validPhone, categoryCode, districtCode, touched],
    ),
    150,
  );
  const assist = useAssist(assistInput);
  const suggestion = assist.data;

  // What the operator has not chosen follows the suggestion; a choice of theirs is never overwritten.
  useEffect(() => {
    if (!suggestion) return;
    const patch: Partial<DeskValues> = {};
    const top = suggestion.classification.categories[0];
    if (top && !touched.has('categoryCode')) patch.categoryCode = top.code;
    if (!touched.has('requestType')) patch.requestType = suggestion.classification.requestType as DeskValues['requestType'];
    if (!touched.has('urgency')) patch.urgency = suggestion.classification.urgency as DeskValues['urgency'];
    if (!touched.has('districtCode')) patch.districtCode = suggestion.location.districtCode ?? undefined;
    if (!touched.has('streetCode')) patch.streetCode = suggestion.location.streetCode ?? undefined;
    if (!touched.has('communityCode')) patch.communityCode = suggestion.location.communityCode ?? undefined;
    form.setFieldsValue(patch);
  }, [suggestion, touched, form]);

  const newCall = () => {
    form.resetFields();
    setTouched(new Set());
    setMerge(null);
    setResult(null);
    create.reset();
    setIdempotencyKey(crypto.randomUUID());
    window.setTimeout(() => phoneRef.current?.focus(), 0);
  };

  const submit = async (decision: Decision) => {
    let v: DeskValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: CreateTicketBody = {
      channel: v.channel,
      requestType: v.requestType,
      categoryCode: v.categoryCode ?? '',
      urgency: v.urgency,
      disposition: 'dispatch',
      content: v.content.trim(),
      citizen: { name: v.name.trim(), phone: v.phone.trim() },
      identityHidden: v.identityHidden,
      ...(v.publicWallOptOut ? { publicWallOptOut: true } : {}),
      location: {
        address: v.address.trim(),
        ...(v.districtCode ? { districtCode: v.districtCode } : {}),
        ...(v.streetCode ? { streetCode: v.streetCode } : {}),
        ...(v.communityCode ? { communityCode: v.communityCode } : {}),
      },
      ...(suggestion?.classification.categories[0] ? { suggestedCategoryCode: suggestion.classification.categories[0].code } : {}),
    };
    if (decision.kind === 'merge') body.mergeInto = decision.ticketId;
    if (decision.kind === 'answered')
      Object.assign(body, { disposition: 'answered', articleId: decision.articleId, answer: decision.answer });
    if (decision.kind === 'not_accepted') Object.assign(body, { disposition: 'not_accepted', notAcceptedReason: decision.reason });
    create.mutate({ body, key: idempotencyKey }, { onSuccess: (ticket) => setResult(ticket) });
  };

  const submitDefault = () => void submit(merge ? { kind: 'merge', ...merge } : { kind: 'dispatch' });

  useShortcuts({
    'alt+n': newCall,
    'ctrl+enter': submitDefault,
    'alt+s': () => setSupplementOpen(true),
  });

  const mark = (field: keyof DeskValues) => () => setTouched((s) => new Set(s).add(field));
  const unplaced = Boolean(suggestion && address.trim() && !districtCode);
  const lang = i18n.language === 'en' ? 'nameEn' : 'nameZh';

  if (result) return <ResultCard ticket={result} onNext={newCall} />;

  return (
    <Row gutter={12} wrap={false}>
      <Col flex="1 1 640px" style={{ minWidth: 0 }}>
        <Card size="small" title={t('intake.desk.formTitle')} extra={<ShortcutHelp />}>
          <Form<DeskValues>
            form={form}
            layout="vertical"
            size="middle"
            initialValues={INITIAL}
            requiredMark
            onFinish={submitDefault}
            onValuesChange={(changed: Partial<DeskValues>) => {
              // A place chosen by hand clears what lay inside the old one (only the operator's changes come here).
              if ('districtCode' in changed) form.setFieldsValue({ streetCode: undefined, communityCode: undefined });
              if ('streetCode' in changed) form.setFieldValue('communityCode', undefined);
            }}
          >
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item
                  label={t('intake.fields.phone')}
                  name="phone"
                  rules={[
                    { required: true, message: t('intake.rules.phone') },
                    { pattern: PHONE, message: t('intake.rules.phone') },
                  ]}
                >
                  <Input ref={(el) => void (phoneRef.current = el)} autoFocus inputMode="tel" autoComplete="off" />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item
                  label={t('intake.fields.name')}
                  name="name"
                  rules={[{ required: true, whitespace: true, message: t('intake.rules.name') }]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item label={t('intake.fields.channel')} name="channel">
                  <Select options={CHANNELS.map((c) => ({ value: c, label: t(`intake.channels.${c}`) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              label={t('intake.fields.content')}
              name="content"
              rules={[{ required: true, whitespace: true, message: t('intake.rules.content') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={4000} showCount />
            </Form.Item>
            <Row gutter={12}>
              <Col span={10}>
                <Form.Item
                  label={t('intake.fields.category')}
                  name="categoryCode"
                  rules={[{ required: true, message: t('intake.rules.category') }]}
                  extra={
                    suggestion?.classification.categories.length ? (
                      <Space size={4} wrap data-testid="category-suggestions">
                        <Typography.Text type="secondary">{t('intake.desk.suggested')}</Typography.Text>
                        {suggestion.classification.categories.slice(0, 3).map((c) => (
                          <Tag.CheckableTag
                            key={c.code}
                            checked={categoryCode === c.code}
                            onChange={() => {
                              form.setFieldValue('categoryCode', c.code);
                              mark('categoryCode')();
                            }}
                          >
                            {c[lang]}
                          </Tag.CheckableTag>
                        ))}
                      </Space>
                    ) : null
                  }
                >
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={mark('categoryCode')}
                    loading={categories.isPending}
                    options={(categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.code, label: c[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item label={t('intake.fields.requestType')} name="requestType">
                  <Select
                    onChange={mark('requestType')}
                    options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`intake.requestTypes.${r}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item label={t('intake.fields.urgency')} name="urgency">
                  <Radio.Group
                    onChange={mark('urgency')}
                    optionType="button"
                    options={URGENCIES.map((u) => ({ value: u, label: t(`intake.urgencies.${u}`) }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              label={t('intake.fields.address')}
              name="address"
              rules={[{ required: true, whitespace: true, message: t('intake.rules.address') }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item label={t('intake.fields.district')} name="districtCode">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={places.isPending}
                    onChange={mark('districtCode')}
                    options={(places.data?.districts ?? []).map((d) => ({ value: d.code, label: d[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label={t('intake.fields.street')} name="streetCode">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    disabled={!districtCode}
                    onChange={mark('streetCode')}
                    options={(places.data?.streetsOf(districtCode) ?? []).map((s) => ({ value: s.code, label: s[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label={t('intake.places.community')} name="communityCode">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    disabled={!streetCode}
                    placeholder={streetCode ? t('intake.places.searchHint') : t('intake.places.streetFirst')}
                    notFoundContent={t('intake.places.none')}
                    onChange={mark('communityCode')}
                    options={(places.data?.communitiesOf(streetCode) ?? []).map((c) => ({ value: c.code, label: c[lang] }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Space size={24} style={{ marginBottom: 12 }}>
              <Form.Item name="identityHidden" valuePropName="checked" noStyle>
                <Checkbox>{t('intake.fields.identityHidden')}</Checkbox>
              </Form.Item>
              <Form.Item name="publicWallOptOut" valuePropName="checked" noStyle>
                <Checkbox data-testid="wall-opt-out">{t('intake.fields.publicWallOptOut')}</Checkbox>
              </Form.Item>
            </Space>
            {unplaced && (
              <Alert type="warning" showIcon title={t('intake.desk.unplaced')} style={{ marginBottom: 12 }} data-testid="unplaced" />
            )}
            {suggestion && districtCode && !touched.has('districtCode') && (
              <Typography.Paragraph type="secondary" data-testid="placed">
                {t('intake.desk.placed', {
                  place: placeLine([districtCode, streetCode, communityCode]),
                })}
              </Typography.Paragraph>
            )}
            {merge && (
              <Alert
                type="info"
                showIcon
                title={t('intake.desk.mergeChosen', { orderNo: merge.orderNo })}
                action={
                  <Button size="small" onClick={() => setMerge(null)}>
                    {t('intake.desk.mergeCancel')}
                  </Button>
                }
                style={{ marginBottom: 12 }}
              />
            )}
            <Space>
              <Button type="primary" htmlType="submit" loading={create.isPending}>
                {merge ? t('intake.desk.submitMerge') : t('intake.desk.submit')}
              </Button>
              <Button onClick={newCall}>{t('intake.desk.newCall')}</Button>
              <Button onClick={() => setSupplementOpen(true)}>{t('intake.supplement.open')}</Button>
            </Space>
            <ErrorNote error={create.error} />
          </Form>
        </Card>
      </Col>
      <Col flex="0 0 400px" style={{ minWidth: 0 }}>
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <CallerHistory phone={validPhone} />
          <AssistPanel
            assist={suggestion}
            loading={assist.isFetching}
            merge={merge}
            onMerge={(d) => setMerge(d)}
            onDecide={(d) => void submit(d)}
            busy={create.isPending}
          />
          <ErrorNote error={assist.error} />
        </Space>
      </Col>
      <SupplementDrawer open={supplementOpen} onClose={() => setSupplementOpen(false)} />
    </Row>
  );
}
