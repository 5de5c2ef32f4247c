import ComingSoon from '../../components/ComingSoon';

export function DeskPage() {
  return <ComingSoon />;
}
