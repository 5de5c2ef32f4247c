import { Alert, Button, Drawer, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useAddSupplement, useTicketSearch } from './hooks';

interface Values {
  orderNo: string;
  text: string;
}

/** 补充诉求: the caller adds to an order they already have — found by its number, then the text. */
export function SupplementDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [orderNo, setOrderNo] = useState<string | null>(null);
  const found = useTicketSearch(orderNo ? { orderNo } : null);
  const add = useAddSupplement();
  const ticket = found.data?.items[0];
  const save = (v: Values) => {
    if (!ticket) return;
    add.mutate({ ticketId: ticket.id, text: v.text.trim() }, { onSuccess: () => form.setFieldValue('text', '') });
  };
  return (
    <Drawer open={open} onClose={onClose} title={t('intake.supplement.title')} size={480} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        <Form.Item label={t('intake.fields.orderNo')} name="orderNo" rules={[{ required: true, pattern: /^\d{8}-\d{6}$/, message: t('intake.rules.orderNo') }]}>
          <Input.Search autoFocus enterButton={t('intake.supplement.find')} onSearch={(v) => setOrderNo(v.trim() || null)} />
        </Form.Item>
        {orderNo && found.data && !ticket && <Alert type="warning" showIcon title={t('intake.supplement.notFound')} />}
        {ticket && (
          <>
            <Alert type="info" showIcon title={`${ticket.orderNo} · ${ticket.content}`} style={{ marginBottom: 12 }} />
            <Form.Item label={t('intake.supplement.text')} name="text" rules={[{ required: true, whitespace: true, message: t('intake.rules.content') }]}>
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={add.isPending}>
                {t('intake.supplement.submit')}
              </Button>
            </Space>
            {add.isSuccess && <Alert type="success" showIcon title={t('intake.supplement.saved')} style={{ marginTop: 12 }} />}
            <ErrorNote error={add.error} />
          </>
        )}
      </Form>
    </Drawer>
  );
}
