import { AddProductForm } from '../components/AddProductForm';
import { useTitle } from '../hooks';

export function AddProductPage() {
  useTitle('Add a product');
  return (
    <div className="page page-narrow">
      <section className="hero">
        <h1>Track a product</h1>
        <p className="lead">
          Paste a link to a product page. Pricehawk fetches its price now and keeps checking it.
        </p>
        <AddProductForm autoFocus />
      </section>
      <section className="help">
        <h2>What you can paste</h2>
        <ul>
          <li>
            Any Amazon product link, from every marketplace: <code>amazon.de/dp/…</code>,{' '}
            <code>amazon.co.uk/gp/product/…</code>, app links and <code>amzn.to</code> short links.
          </li>
          <li>
            A bare <abbr title="Amazon Standard Identification Number">ASIN</abbr> such as{' '}
            <code>B0CX23V2ZK</code>, then pick its marketplace.
          </li>
          <li>
            A product page from any other shop that publishes structured product data (most do, for
            search engines).
          </li>
          <li>A product from the built-in demo store, when it runs.</li>
        </ul>
      </section>
    </div>
  );
}
