import { Query, type Language } from 'web-tree-sitter';
import declarations from '../../../../grammars/queries/declarations.scm';

/** The tree-sitter queries of grammars/queries, by file name. */
export const QUERY_SOURCES = { declarations } as const;
export type QueryName = keyof typeof QUERY_SOURCES;

const compiled = new WeakMap<Language, Map<QueryName, Query>>();

/** A query compiled once per language (compiling costs tens of milliseconds). */
export function query(language: Language, name: QueryName): Query {
  let byName = compiled.get(language);
  if (!byName) compiled.set(language, (byName = new Map()));
  let q = byName.get(name);
  if (!q) byName.set(name, (q = new Query(language, QUERY_SOURCES[name])));
  return q;
}
