import { useId, useState, type FormEvent } from 'react';
import { navigate } from '../router';

/** The search path for a query (and marketplace), as the search page reads it. */
export function searchPath(q: string, marketplace?: string): string {
  const p = new URLSearchParams({ q });
  if (marketplace) p.set('marketplace', marketplace);
  return `/search?${p.toString()}`;
}

/** The header's search field: Enter (a lone field submits its form) opens the search page. */
export function SearchBox() {
  const id = useId();
  const [q, setQ] = useState('');

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    navigate(searchPath(text));
    setQ('');
  }

  return (
    <form className="header-search" role="search" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Search products
      </label>
      <input
        id={id}
        className="input header-search-input"
        type="search"
        placeholder="Search…"
        autoComplete="off"
        maxLength={200}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}
