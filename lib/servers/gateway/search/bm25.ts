import { tokenize } from "./tokenize.ts";

/** A document with named text fields; each field has its own weight in the score. */
export interface Bm25Doc {
  id: string;
  fields: Record<string, string>;
}

interface FieldStats {
  /** term -> (doc index -> term frequency) */
  postings: Map<string, Map<number, number>>;
  lengths: number[];
  avgLength: number;
}

const K1 = 1.2;
const B = 0.75;

/**
 * BM25 over several fields (a BM25F-style weighted sum of per-field scores). Built once per catalog
 * revision; a query touches only the postings of its own terms, so 5,000 tools stay fast.
 */
export class Bm25Index {
  private readonly stats = new Map<string, FieldStats>();
  private readonly ids: string[] = [];

  constructor(
    docs: readonly Bm25Doc[],
    private readonly weights: Record<string, number>,
  ) {
    for (const field of Object.keys(weights)) {
      this.stats.set(field, { postings: new Map(), lengths: [], avgLength: 0 });
    }
    docs.forEach((doc, i) => {
      this.ids.push(doc.id);
      for (const [field, st] of this.stats) {
        const terms = tokenize(doc.fields[field] ?? "");
        st.lengths[i] = terms.length;
        for (const t of terms) {
          let post = st.postings.get(t);
          if (!post) {
            post = new Map();
            st.postings.set(t, post);
          }
          post.set(i, (post.get(i) ?? 0) + 1);
        }
      }
    });
    for (const st of this.stats.values()) {
      const total = st.lengths.reduce((a, b) => a + b, 0);
      st.avgLength = docs.length ? total / docs.length || 1 : 1;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** Scores every document that shares a term with the query; returns id -> score (> 0). */
  score(query: string): Map<string, number> {
    const scores = this.scoreByIndex(query);
    const out = new Map<string, number>();
    for (let doc = 0; doc < scores.length; doc++) if (scores[doc]! > 0) out.set(this.ids[doc]!, scores[doc]!);
    return out;
  }

  /** The same scores, indexed by document position (the order the documents were given in); 0 = no match. */
  scoreByIndex(query: string): Float64Array {
    const terms = [...new Set(tokenize(query))];
    const n = this.ids.length;
    const scores = new Float64Array(n);
    for (const [field, st] of this.stats) {
      const w = this.weights[field] ?? 1;
      for (const term of terms) {
        const post = st.postings.get(term);
        if (!post) continue;
        const idf = Math.log(1 + (n - post.size + 0.5) / (post.size + 0.5));
        for (const [doc, tf] of post) {
          const norm = tf + K1 * (1 - B + (B * (st.lengths[doc] ?? 0)) / st.avgLength);
          scores[doc]! += w * idf * ((tf * (K1 + 1)) / norm);
        }
      }
    }
    return scores;
  }
}
