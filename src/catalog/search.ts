/**
 * Full-text search over the local catalogue (table product_search, kept in step with products by
 * triggers; see migration 0004).
 *
 * How a query runs:
 * 1. Its words are folded like the titles were (accents off, lower case) and each one is looked
 *    up in `search_words`, the dictionary of every title word, by trigram similarity: a word no
 *    title has ("hedphones") gains the close ones that titles have ("headphones"). A last word
 *    that no title has also matches as a prefix ("headph"), for search as you type.
 * 2. Products whose title has every word (or one of its corrections) are candidates; the most
 *    watched few hundred of them are ranked by text rank, the similarity of the whole query to the
 *    title, and popularity. When fewer than `limit` have every word, products with some of the
 *    words follow, ranked the same way below them.
 *
 * Taking the candidates by popularity before ranking them bounds the work on a common word in
 * ten million titles (see `candidates`).
 */
import type { Queryable } from '../db/pool.js';
import type { ProductRecord } from './products.js';

export interface CatalogSearchQuery {
  readonly q: string;
  readonly marketplace?: string | undefined;
  readonly limit: number;
}

export interface CatalogHit {
  readonly product: ProductRecord;
  readonly score: number;
  /** Every query word (or a correction of it) is in the title. */
  readonly allWords: boolean;
}

export interface QueryWord {
  readonly word: string;
  /** Close words of titles, best first, when the word may be misspelt. */
  readonly alternatives: readonly string[];
  readonly prefix: boolean;
}

/** Candidates ranked per query: the most watched matches, then the text decides among them. */
const CANDIDATES = 100;
/** At most this many words of a query are used. */
const MAX_WORDS = 8;
/** Similarity a correction needs: below, "lamp" would also find "lamb". */
const MIN_SIMILARITY_UNKNOWN = 0.45;
/** A word titles already have gets only very close corrections (plurals, one letter). */
const MIN_SIMILARITY_KNOWN = 0.55;

/** A lexeme as a tsquery operand, quoted so that nothing in it is read as an operator. */
export function tsLexeme(word: string, prefix = false): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}

function alternativesOf(w: QueryWord): string {
  const parts = [tsLexeme(w.word, w.prefix), ...w.alternatives.map((a) => tsLexeme(a))];
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' | ')})`;
}

/** tsquery texts for the words: all of them exactly, all with corrections, any of them. */
export function buildQueries(words: readonly QueryWord[]): {
  exact: string;
  all: string;
  any: string;
  perWord: string[];
} {
  const perWord = words.map(alternativesOf);
  return {
    exact: words.map((w) => tsLexeme(w.word, w.prefix)).join(' & '),
    all: perWord.join(' & '),
    any: perWord.join(' | '),
    perWord,
  };
}

/** The query's words as titles are indexed, in order, each with its possible corrections. */
export async function queryWords(
  db: Queryable,
  q: string,
  prefixLast: boolean,
): Promise<QueryWord[]> {
  const { rows } = await db.query<{ word: string; known: boolean; alternatives: string[] }>(
    `with toks as (
       select t.lexeme as word, min(p) as pos
         from unnest(catalog_document($1)) t, unnest(t.positions) p
        group by t.lexeme
        order by pos
        limit $2)
     select toks.word,
            exists (select 1 from search_words w where w.word = toks.word) as known,
            coalesce((
              select array_agg(c.word order by c.sim desc, c.word) from (
                select w.word, similarity(w.word, toks.word) as sim
                  from search_words w
                 where toks.word ~ '^[a-z][a-z-]{2,39}$' and w.word % toks.word
                   and w.word <> toks.word
                 order by sim desc, w.word
                 limit 3) c
               where c.sim >= case when exists (select 1 from search_words k where k.word = toks.word)
                                   then $3::real else $4::real end), '{}') as alternatives
       from toks order by toks.pos`,
    [q, MAX_WORDS, MIN_SIMILARITY_KNOWN, MIN_SIMILARITY_UNKNOWN],
  );
  return rows.map((r, i) => ({
    word: r.word,
    alternatives: r.alternatives,
    // Only a last word no title has is taken as the start of one ("headph"): a whole word as a
    // prefix costs a recheck of every title its prefix matches, several times the exact match.
    // A prefix of one or two letters matches half the catalogue and says little.
    prefix: prefixLast && i === rows.length - 1 && !r.known && r.word.length >= 3,
  }));
}

interface HitRow extends ProductRecord {
  score: number;
}

/** Index entries the popularity walk reads before it leaves the rest to the GIN index. */
const WALK_BUDGET = 30_000;
/** Matches beyond the walk taken from the GIN index at most (in no particular order). */
const TAIL_SAMPLE = 300;

interface Candidate {
  product_id: number;
  watchers: number;
  base: number;
}

/**
 * Candidates for one pass: about the CANDIDATES most watched products matching `match`, each with
 * its score but for the title similarity (which needs the title, in `products`). Score parts: 1.5
 * if every word is in the title as typed, 2 × the share of the query's words (or corrections) in
 * the title, text rank (normalised by title length, ×10, at most 1), popularity (log of watchers,
 * 1 at 1,000 or more).
 *
 * The planner cannot be trusted to choose between the popularity index and the GIN index: it
 * multiplies word frequencies, so "coffee maker" looks a thousand times rarer than it is, and a
 * bitmap over 90,000 matches of ten million titles costs a table visit each. So, bounded both ways:
 * 1. walk the popularity index (index-only: it carries the documents) for at most WALK_BUDGET
 *    entries; if CANDIDATES matches turn up, they are exactly the most watched matches;
 * 2. otherwise every match more watched than the walk's last entry is already found, and the
 *    GIN index adds up to TAIL_SAMPLE of the less watched rest, whichever come first.
 */
async function candidates(
  db: Queryable,
  match: string,
  exact: string,
  perWord: readonly string[],
  marketplace: string | undefined,
  exclude: readonly number[],
): Promise<Candidate[]> {
  const params: unknown[] = [match, exact, perWord];
  let where = '';
  let inner = '';
  if (exclude.length > 0) {
    params.push(exclude);
    where += ` and s.product_id <> all ($${params.length}::bigint[])`;
  }
  if (marketplace !== undefined) {
    params.push(marketplace);
    where += ` and s.marketplace = $${params.length}`;
    inner = ` where marketplace = $${params.length}`;
  }
  const columns = `s.product_id, s.watchers,
       (1.5 * (s.document @@ $2::tsquery)::int
        + 2.0 * (select count(*) from unnest($3::text[]) w where s.document @@ w::tsquery)
              / cardinality($3::text[])
        + least(1, 10 * ts_rank(s.document, $1::tsquery, 1))
        + least(1, ln(1 + s.watchers) / ln(1001)))::float8 as base`;
  const walked = await db.query<Candidate>(
    `select ${columns}
       from (select product_id, marketplace, watchers, document from product_search${inner}
              order by watchers desc, product_id limit ${WALK_BUDGET}) s
      where s.document @@ $1::tsquery${where}
      limit ${CANDIDATES}`,
    params,
  );
  if (walked.rows.length >= CANDIDATES) return walked.rows;
  const seen = walked.rows.map((c) => c.product_id);
  params.push(seen);
  const tail = await db.query<Candidate>(
    `select ${columns}
       from product_search s
      where s.document @@ $1::tsquery${where} and s.product_id <> all ($${params.length}::bigint[])
      limit ${TAIL_SAMPLE}`,
    params,
  );
  const rest = tail.rows.sort((a, b) => b.watchers - a.watchers || a.product_id - b.product_id);
  return [...walked.rows, ...rest.slice(0, CANDIDATES - walked.rows.length)];
}

/**
 * One ranked pass: the candidates (above), scored with the word similarity of the whole query
 * to the title (0..1) added, best first.
 */
async function rankedPass(
  db: Queryable,
  match: string,
  exact: string,
  perWord: readonly string[],
  folded: string,
  marketplace: string | undefined,
  limit: number,
  exclude: readonly number[],
): Promise<HitRow[]> {
  const cand = await candidates(db, match, exact, perWord, marketplace, exclude);
  if (cand.length === 0) return [];
  // Similarity can add at most 1: the best `limit` are among the best by the rest plus a margin.
  cand.sort((a, b) => b.base - a.base);
  const top = cand.slice(0, limit * 2 + 10);
  const { rows } = await db.query<HitRow>(
    `select p.*, (c.base + word_similarity($3, catalog_fold(coalesce(p.title, ''))))::float8 as score
       from unnest($1::bigint[], $2::float8[]) c(id, base) join products p on p.id = c.id
      order by score desc, p.watcher_count desc, p.id
      limit $4`,
    [top.map((c) => c.product_id), top.map((c) => c.base), folded, limit],
  );
  return rows;
}

export async function searchCatalog(
  db: Queryable,
  query: CatalogSearchQuery,
): Promise<CatalogHit[]> {
  const q = query.q.trim();
  const words = await queryWords(db, q, !/\s$/.test(query.q));
  if (words.length === 0) return [];
  const { exact, all, any, perWord } = buildQueries(words);
  const { rows: folded } = await db.query<{ f: string }>('select catalog_fold($1) as f', [q]);
  const text = folded[0]?.f ?? q.toLowerCase();

  const first = await rankedPass(db, all, exact, perWord, text, query.marketplace, query.limit, []);
  const hits: CatalogHit[] = first.map(({ score, ...product }) => ({
    product,
    score,
    allWords: true,
  }));
  if (hits.length < query.limit && words.length > 1) {
    const more = await rankedPass(
      db,
      any,
      exact,
      perWord,
      text,
      query.marketplace,
      query.limit - hits.length,
      hits.map((h) => h.product.id),
    );
    for (const { score, ...product } of more) hits.push({ product, score, allWords: false });
  }
  return hits;
}
