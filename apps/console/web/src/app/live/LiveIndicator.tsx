import { Badge, Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { askNotificationPermission, type LiveState } from './useLiveEvents';

const STATUS = { open: 'success', connecting: 'processing', closed: 'error' } as const;

/** The live connection's state (no icon: the header's one bell is the inbox); a click allows the urgent-order notification. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('live.notifyHint')}>
      <Button size="small" type="text" onClick={askNotificationPermission} aria-label={t(`live.${state}`)}>
        <Badge status={STATUS[state]} text={t(`live.${state}`)} />
      </Button>
    </Tooltip>
  );
}
