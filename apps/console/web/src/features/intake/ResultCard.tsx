import { Button, Descriptions, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { usePlaceLine } from './hooks';
import { groupForReading } from './read-aloud';
import type { CreatedTicket } from './types';

/** After submitting: what the operator reads out — the order number, the status token, any answer or guidance. */
export function ResultCard({ ticket, onNext }: { ticket: CreatedTicket; onNext: () => void }) {
  const { t } = useTranslation();
  const placeLine = usePlaceLine();
  const { districtCode, streetCode, communityCode, source } = ticket.location;
  const place = source === 'triage' ? t('intake.places.cityQueue') : placeLine([districtCode, streetCode, communityCode]);
  const title =
    ticket.disposition === 'answered'
      ? t('intake.result.answered')
      : ticket.disposition === 'not_accepted'
        ? t('intake.result.notAccepted')
        : ticket.disposition === 'merged'
          ? t('intake.result.merged')
          : t('intake.result.accepted');
  return (
    <Result
      status={ticket.disposition === 'not_accepted' ? 'warning' : 'success'}
      title={title}
      subTitle={t('intake.result.readOut')}
      extra={
        <Button type="primary" onClick={onNext} autoFocus>
          {t('intake.desk.newCall')}
        </Button>
      }
    >
      <Descriptions column={1} bordered size="middle" data-testid="result">
        <Descriptions.Item label={t('intake.result.orderNo')}>
          <Typography.Text strong copyable style={{ fontSize: 20 }} data-testid="order-no">
            {ticket.orderNo}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.result.token')}>
          <Typography.Text
            strong
            copyable={{ text: ticket.statusToken }}
            className="status-token"
            data-testid="status-token"
            aria-label={groupForReading(ticket.statusToken).join(' ')}
          >
            {groupForReading(ticket.statusToken).map((g, i) => (
              <span key={i} className="status-token-group">
                {g}
              </span>
            ))}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.places.place')}>
          <span data-testid="result-place">{place}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.result.acceptedAt')}>{cityTime(ticket.acceptedAt, 'YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
        {ticket.publicAnswer && (
          <Descriptions.Item label={ticket.disposition === 'not_accepted' ? t('intake.result.guidance') : t('intake.result.answer')}>
            <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="public-answer">
              {ticket.publicAnswer}
            </Typography.Paragraph>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Result>
  );
}
