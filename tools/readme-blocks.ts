/**
 * Generated blocks of README.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->`, so a
 * script can regenerate them and a test can fail when one goes stale.
 */
export function readBlock(text: string, name: string): string | undefined {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return undefined;
  return text.slice(i + start.length, j).trim();
}

/** Replaces a block's content; throws when the markers are missing. */
export function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} block`);
  return `${text.slice(0, i + start.length)}\n${content.trim()}\n${text.slice(j)}`;
}
