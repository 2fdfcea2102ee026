import { Link } from 'react-router';
import { usePageTitle } from '../components/page-title';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such page in the console. <Link to="/">Back to the cockpit</Link>.
      </p>
    </section>
  );
}
