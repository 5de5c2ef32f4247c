import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { screenAt } from '../app/nav';

/** A role's screen that is not built yet: says so plainly, with the role's name; never a fake screen. */
export default function ComingSoon() {
  const { t } = useTranslation();
  const screen = screenAt(useLocation().pathname);
  const page = screen ? t(screen.titleKey) : '';
  const roleKey = screen?.comingSoonFor ?? screen?.roles[0];
  const role = roleKey ? t(`roles.${roleKey}`) : '';
  return <Result status="info" title={t('app.comingSoon')} subTitle={t('app.comingSoonText', { page, role })} />;
}
