import ComingSoon from '../../components/ComingSoon';

export function SearchPage() {
  return <ComingSoon />;
}
