// Fails the build when the bundle in ui/dist names an outside host it could fetch at run
// time: absolute or protocol-relative URLs in CSS url(), in HTML src/href, or in JS imports
// and fetches. The app runs offline; everything it shows must be bundled.
//
// Text that only looks like a URL and is never fetched is allowed: XML namespace names
// (http://www.w3.org/...) that Vue uses to create SVG/MathML elements, and the link Vue's
// production build prints in console error messages (https://vuejs.org/error-reference/).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.argv[2] ?? "dist";
const allowed = [/^https?:\/\/www\.w3\.org\//, /^https:\/\/vuejs\.org\/error-reference\//];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(html|css|js|mjs|json|svg|webmanifest)$/.test(name)) yield path;
  }
}

const patterns = [
  // any absolute http(s) URL in any text file
  /https?:\/\/[^\s"'`()<>\\]+/g,
  // protocol-relative URLs where a browser would load them
  /url\(\s*["']?(\/\/[^)"']+)/g,
  /(?:src|href)\s*=\s*["'](\/\/[^"']+)/g,
];

const found = [];
for (const file of files(root)) {
  const text = readFileSync(file, "utf8");
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const url = match[1] ?? match[0];
      if (allowed.some((ok) => ok.test(url))) continue;
      found.push(`${relative(process.cwd(), file)}: ${url}`);
    }
  }
}

if (found.length > 0) {
  console.error(`check-no-remote-urls: ${found.length} outside URL(s) in ${root}:`);
  for (const line of [...new Set(found)]) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-no-remote-urls: no outside URLs in ${root}`);
