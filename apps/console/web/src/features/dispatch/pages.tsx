/** The dispatcher's screens (web2 builds them; until then the placeholder says so). */
import ComingSoon from '../../components/ComingSoon';

export function QueuesPage() {
  return <ComingSoon />;
}
