import Table from 'cli-table3';

export type Cell = string | number | boolean | null | undefined;

/**
 * Prints a result for scripts: the API's JSON as it came, pretty-printed. Nothing at all for
 * operations that answer nothing (deletes), as REST answers 204 without a body.
 */
export function printJson(value: unknown): void {
  if (value === undefined) return;
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A line for people, on stdout (results) — never used with --json. */
export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A remark for people that is not the result (hints, paging), on stderr so pipes stay clean. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

// Colours only on a terminal: piped output (and the tests) must be plain text.
const style = () => ({ head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [] });

const text = (cell: Cell): string => (cell === null || cell === undefined || cell === '' ? '—' : String(cell));

/** Rows under a header: one line per item. */
export function printTable(head: string[], rows: Cell[][]): void {
  const table = new Table({ head, style: style(), wordWrap: true });
  for (const row of rows) table.push(row.map(text));
  printLine(table.toString());
}

/** One item, a field per line. */
export function printDetails(fields: [label: string, value: Cell][]): void {
  // Compact (no line between fields): an item reads as a card, not a grid.
  const table = new Table({ style: { ...style(), compact: true }, wordWrap: true });
  for (const [label, value] of fields) table.push({ [label]: text(value) });
  printLine(table.toString());
}

/** Where a list page sits in the whole, and how to get the next one: so people know there is more. */
export function notePage(page: { totalCount: number; next?: string | undefined }, shown: number, all: boolean): void {
  if (all || page.next === undefined) {
    note(`${String(shown)} of ${String(page.totalCount)}`);
  } else {
    note(`${String(shown)} of ${String(page.totalCount)} — next page: --after ${page.next} (or --all)`);
  }
}

/** A date as people read it in a table: to the second, in UTC. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z');
}
