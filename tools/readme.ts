import * as fs from "fs";
import * as path from "path";
import { configTable } from "./config-table";
import { replaceBlock } from "./readme-blocks";
import { PROJECT_DIR } from "./runner";

/** Regenerates README.md's generated blocks (`npm run readme`); tests fail when they are stale. */
function main(): void {
  const file = path.join(PROJECT_DIR, "README.md");
  let text = fs.readFileSync(file, "utf8");
  text = replaceBlock(text, "config", configTable());
  fs.writeFileSync(file, text);
  console.log("README.md: config table regenerated");
}

main();
