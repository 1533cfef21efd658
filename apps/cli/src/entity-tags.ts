import type { Command } from 'commander';
import type { Context } from './context';
import { note, printLine } from './output';

// Entity tags let a script change a resource only as it last read it: `get --etag` prints the tag,
// `--if-match` sends it back, and a change made meanwhile by someone else is refused (412) rather
// than overwritten.

export interface IfMatchOptions {
  ifMatch?: string;
}

export interface EtagOptions {
  etag?: boolean;
}

/** Adds `--if-match <etag>` to a command that changes something. */
export function withIfMatch(command: Command, what = 'it'): Command {
  return command.option(
    '--if-match <etag>',
    `only while ${what} still has this entity tag (from get); otherwise nothing changes (exit 1, failed_precondition)`,
  );
}

/** The tag as the API takes it: bare, so one copied from an HTTP `ETag` header (quoted) works too. */
export function tagOf(value: string): string {
  return value.trim().replace(/^"(.*)"$/, '$1');
}

/** `{ ifMatch }` for the call, or nothing without the option. */
export function ifMatchOf(options: IfMatchOptions): { ifMatch?: string } {
  return options.ifMatch === undefined ? {} : { ifMatch: tagOf(options.ifMatch) };
}

/** Adds `--etag` to a `get`: print only the entity tag. */
export function withEtag(command: Command): Command {
  return command.option('--etag', 'print only its entity tag (for --if-match)');
}

/** Shows what a `get` read: only its tag with `--etag`; else the resource, and the tag as a note. */
export function showTagged<T>(
  ctx: Context,
  found: { body: T; etag: string },
  options: EtagOptions,
  forPeople: (body: T) => void,
): void {
  if (options.etag === true) {
    printLine(found.etag);
    return;
  }
  ctx.show(found.body, (body) => {
    forPeople(body);
    note(`etag ${found.etag}`);
  });
}
