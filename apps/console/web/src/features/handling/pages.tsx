/** The handling unit's screens (web2 builds them; until then the placeholder says so). */
import ComingSoon from '../../components/ComingSoon';

export function WorklistPage() {
  return <ComingSoon />;
}

export function SignOffPage() {
  return <ComingSoon />;
}
