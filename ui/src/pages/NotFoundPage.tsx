import { useTitle } from '../hooks';
import { Link } from '../router';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <div className="page page-narrow">
      <h1>Nothing here</h1>
      <p>
        This page does not exist. <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}
