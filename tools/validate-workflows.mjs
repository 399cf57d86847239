// Validates GitHub Actions workflow files with GitHub's own parser, @actions/workflow-parser:
// the workflow schema (keys, types, permission values, expressions), then the checks its
// converter adds (the `needs` graph, cron syntax, reusable workflow calls).
//
//   node tools/validate-workflows.mjs [--json] [file...]   (default: .github/workflows/*.yml)
//
// Exit 0 when every file is valid, 1 when one is not, 2 on a usage error. Needs Node 20.10+.
// An ES module run by Node directly, because the parser ships only as ESM, which jest (CommonJS)
// cannot load: test/workflows runs this script and reads its --json output.
import { readFileSync, readdirSync } from "node:fs";
import { register } from "node:module";
import { basename, join, relative } from "node:path";

// The parser imports its schema JSON without `with { type: "json" }`, which bundlers accept
// and Node rejects; this loader hook adds the attribute to JSON files that lack it.
const addJsonType = `
export async function load(url, context, next) {
  if (url.endsWith(".json") && !context.importAttributes?.type) {
    const importAttributes = { ...context.importAttributes, type: "json" };
    return next(url, { ...context, importAttributes });
  }
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(addJsonType)}`);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
  await import("@actions/workflow-parser");

/** Every problem in one workflow file, as the parser words it (with line and column). */
export async function validateWorkflow(name, content) {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined) {
    return errors.length > 0 ? errors : [`${name}: not a workflow`];
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

const args = process.argv.slice(2);
const json = args.includes("--json");
let files = args.filter((a) => a !== "--json");
if (files.some((f) => f.startsWith("--"))) {
  console.error("usage: node tools/validate-workflows.mjs [--json] [file...]");
  process.exit(2);
}
if (files.length === 0) {
  const dir = join(
    import.meta.dirname ?? new URL(".", import.meta.url).pathname,
    "..",
    ".github",
    "workflows",
  );
  files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => relative(process.cwd(), join(dir, f)));
}

const results = [];
for (const file of files) {
  results.push({
    file,
    errors: await validateWorkflow(basename(file), readFileSync(file, "utf8")),
  });
}
if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  for (const { file, errors } of results) {
    console.log(
      errors.length === 0 ? `ok      ${file}` : `invalid ${file}\n  ${errors.join("\n  ")}`,
    );
  }
}
process.exitCode = results.some((r) => r.errors.length > 0) ? 1 : 0;
