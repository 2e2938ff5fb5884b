/** How a SQL statement is described in its span. */
export interface StatementDescription {
  /** `SELECT clients`: the operation and the table its outermost FROM reads, a name that groups alike statements. */
  summary: string;
  operation: string;
  /** The parameterised text, its middle left out when it is long (a planned page's statement runs to 30 KB). */
  text: string;
}

/** Characters of a long statement's text kept at each end: its select list starts it, its FROM, WHERE and LIMIT end it. */
const keptAtEachEnd = 1000;

// Statement texts come from a set of shapes (the planner's vary with the selection): worth keeping, within reason.
const descriptions = new Map<string, StatementDescription>();
const maxDescriptions = 1000;

export function describeStatement(sql: string): StatementDescription {
  let description = descriptions.get(sql);
  if (description === undefined) {
    const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
    const table = outermostTable(sql);
    description = {
      summary: table ? `${operation} ${table}` : operation,
      operation,
      text:
        sql.length <= 2 * keptAtEachEnd
          ? sql
          : `${sql.slice(0, keptAtEachEnd)} /* ${sql.length - 2 * keptAtEachEnd} characters left out */ ${sql.slice(-keptAtEachEnd)}`,
    };
    if (descriptions.size >= maxDescriptions) descriptions.clear();
    descriptions.set(sql, description);
  }
  return description;
}

/**
 * The table named by the first FROM outside any parentheses (subqueries in the select list come
 * first in a planned statement); when that FROM reads a subquery, the first table named anywhere.
 */
function outermostTable(sql: string): string | undefined {
  let depth = 0;
  let quoted = false;
  for (let at = 0; at < sql.length; at++) {
    const char = sql[at];
    if (char === "'") quoted = !quoted;
    if (quoted) continue;
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && (char === 'F' || char === 'f') && /^FROM\s/i.test(sql.slice(at, at + 5))) {
      const table = /^FROM\s+"?([A-Za-z_][\w.]*)/i.exec(sql.slice(at))?.[1];
      if (table) return table;
      break;
    }
  }
  return /\bFROM\s+"?([A-Za-z_][\w.]*)/i.exec(sql)?.[1];
}
