// examples/upload-form: the check a hub's upload page runs, with the package as Node
// loads it. A card with errors blocks publishing; a finished card passes; a missing
// image among the uploaded files is found.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { reviewUpload, describe } from "../../examples/upload-form/check-card.js";

const repo = path.resolve(import.meta.dirname, "../..");
const { check } = createRequire(import.meta.url)(path.join(repo, "target/npm"));
const read = (p) => fs.readFileSync(path.join(repo, p), "utf8");

test("a card with errors is not published, and says why", () => {
  const r = reviewUpload(check, { card: read("fixtures/cards/broken/common-faults/README.md"), files: ["README.md", "weights.pt"] });
  assert.equal(r.ok, false);
  assert.ok(r.errors.length > 0 && r.errors.every((f) => f.severity === "error"));
  assert.match(describe(r.errors[0]), /^Line \d+, error: .+ \([a-z-]+\)$/);
  // The image the card shows is not among the uploaded files.
  assert.ok(r.findings.some((f) => f.rule === "broken-link" && f.message.includes("images/example-labels.png")));
});

test("a finished card is published; warnings do not block", () => {
  const r = reviewUpload(check, { card: read("fixtures/cards/good/nuclei-unet-2d/README.md"), files: ["README.md"] });
  assert.deepEqual(r, { ok: true, errors: [], findings: [] });
  const withWarning = read("fixtures/cards/good/nuclei-unet-2d/README.md").replace("](#model-details)", "](#model-detail)");
  const w = reviewUpload(check, { card: withWarning, files: ["README.md"] });
  assert.equal(w.ok, true);
  assert.ok(w.findings.some((f) => f.severity === "warning"));
});

test("the card and its rdf.yaml must agree", () => {
  const card = read("fixtures/cards/good/nuclei-unet-2d/README.md");
  const r = reviewUpload(check, { card, files: ["README.md", "rdf.yaml"], metadata: { name: "rdf.yaml", text: "license: CC-BY-4.0\n" } });
  assert.ok(r.findings.some((f) => f.rule === "metadata-mismatch"), JSON.stringify(r.findings));
});
