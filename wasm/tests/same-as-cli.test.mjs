// The WebAssembly package against the command line, card by card: every fixture card
// and every card of fixtures/corpus, with the files of its folder, its metadata and
// the settings `check` finds for it. The findings must equal `check --format json`'s
// and `fix` must write the same bytes.
//
//   MODELCARD_REVIEW_BIN=target/release/modelcard-review node --test wasm/tests/
// (after scripts/build-wasm.sh has built target/npm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const repo = path.resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
// `main` as Node's require() finds it: the package as an upload form's server loads it.
const pkg = require(path.join(repo, "target/npm"));
const bin = path.resolve(repo, process.env.MODELCARD_REVIEW_BIN ?? "target/release/modelcard-review");

const METADATA = ["rdf.yaml", "bioimageio.yaml"];

function walk(dir, base = dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out);
    else out.push(path.relative(base, p).split(path.sep).join("/"));
  }
  return out.sort();
}

// A hub to run both on: the fixtures as they are, and a model folder with its
// bioimageio.yaml, an image, and settings naming another template.
function makeHub() {
  const hub = fs.mkdtempSync(path.join(os.tmpdir(), "mcr-wasm-"));
  fs.cpSync(path.join(repo, "fixtures"), path.join(hub, "fixtures"), { recursive: true });
  const model = path.join(hub, "hub/models/unet2d-nuclei-broad");
  fs.mkdirSync(path.join(model, "images"), { recursive: true });
  fs.copyFileSync(path.join(repo, "fixtures/corpus/bioimage-io_spec-bioimage-io__unet2d_nuclei_broad.md"), path.join(model, "README.md"));
  fs.copyFileSync(path.join(repo, "fixtures/corpus/metadata/unet2d_nuclei_broad.bioimageio.yaml"), path.join(model, "bioimageio.yaml"));
  fs.writeFileSync(path.join(model, "images/overview.png"), "png");
  const organoid = path.join(hub, "hub/models/organoid");
  fs.mkdirSync(organoid, { recursive: true });
  fs.copyFileSync(path.join(repo, "fixtures/cards/hf-style/organoid-classifier/README.md"), path.join(organoid, "README.md"));
  fs.writeFileSync(path.join(organoid, "rdf.yaml"), "name: Organoid Classifier\nauthors:\n  - name: Someone Else\n");
  fs.mkdirSync(path.join(hub, "hub/docs"), { recursive: true });
  fs.writeFileSync(path.join(hub, "hub/docs/README.md"), "# Docs\n\nTODO\n");
  fs.copyFileSync(path.join(repo, "fixtures/corpus/RI-SCALE_model-hub__template_variant_2025-09-25.md"), path.join(hub, "hub/template.md"));
  fs.writeFileSync(path.join(hub, "hub/.modelcard-review.toml"), [
    'template = "template.md"',
    'paths = ["hub/models/**/README.md"]',
    "[rules]",
    'missing-toc-entry = "off"',
    'placeholder = "warning"',
    "",
  ].join("\n"));
  // Every fixture is a card here (the default `paths` would take only README.md).
  fs.writeFileSync(path.join(hub, ".modelcard-review.toml"), 'paths = ["fixtures/**/*.md", "hub/**/README.md"]\n');
  execFileSync("git", ["init", "-q"], { cwd: hub });
  return hub;
}

// What `check` would find for a card: the nearest config walking up to the root, and
// the template it names.
function settingsFor(hub, card) {
  for (let dir = path.dirname(path.join(hub, card)); ; dir = path.dirname(dir)) {
    const cfg = path.join(dir, ".modelcard-review.toml");
    if (fs.existsSync(cfg)) {
      const config = fs.readFileSync(cfg, "utf8");
      const named = /^template = "(.*)"$/m.exec(config);
      return named ? { config, template: fs.readFileSync(path.join(dir, named[1]), "utf8") } : { config };
    }
    if (dir === hub) return {};
  }
}

function optionsFor(hub, card) {
  const folder = path.dirname(path.join(hub, card));
  const options = { path: card, files: walk(folder), ...settingsFor(hub, card) };
  for (const name of METADATA) {
    const p = path.join(folder, name);
    if (fs.existsSync(p)) {
      options.metadata = { name, text: fs.readFileSync(p, "utf8") };
      break;
    }
  }
  return options;
}

const hub = makeHub();
const cards = [
  ...walk(path.join(hub, "fixtures")).filter((p) => p.endsWith(".md")).map((p) => `fixtures/${p}`),
  "hub/models/unet2d-nuclei-broad/README.md",
  "hub/models/organoid/README.md",
  "hub/docs/README.md",
];

test("the card list covers the fixtures and the corpus", () => {
  assert.ok(cards.filter((c) => c.startsWith("fixtures/cards/")).length >= 5);
  assert.ok(cards.filter((c) => c.startsWith("fixtures/corpus/")).length >= 20);
});

test("check: the findings of `check --format json`, card by card", () => {
  const out = spawnSync(bin, ["check", "--format", "json", "--fail-on", "never", "--force-exclude", ...cards], { cwd: hub, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(out.status, 0, out.stderr);
  const cli = new Map(JSON.parse(out.stdout).files.map((f) => [f.path, f.findings]));
  let findings = 0;
  for (const card of cards) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(hub, card)));
    const got = pkg.check(bytes, optionsFor(hub, card));
    if (cli.has(card)) {
      assert.deepEqual(got.findings, cli.get(card), card);
      assert.equal(got.excluded, undefined, card);
      findings += got.findings.length;
    } else {
      // `--force-exclude` left it out: the config's paths say it is no card.
      assert.deepEqual(got, { findings: [], excluded: true }, card);
    }
  }
  assert.ok(findings > 100, `only ${findings} findings compared`);
  // The settings were used: toc-link off, placeholder a warning.
  const withSettings = pkg.check(fs.readFileSync(path.join(hub, cards.at(-3)), "utf8"), optionsFor(hub, cards.at(-3)));
  assert.ok(!withSettings.findings.some((f) => f.rule === "missing-toc-entry"));
  assert.ok(withSettings.findings.filter((f) => f.rule === "placeholder").every((f) => f.severity === "warning"));
});

test("check of a string equals check of its bytes", () => {
  const card = "fixtures/cards/broken/common-faults/README.md";
  const text = fs.readFileSync(path.join(hub, card), "utf8");
  assert.deepEqual(pkg.check(text, optionsFor(hub, card)), pkg.check(new TextEncoder().encode(text), optionsFor(hub, card)));
});

test("fix: the bytes `fix` writes, safe and unsafe", () => {
  for (const unsafe of [false, true]) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "mcr-wasm-fix-"));
    fs.cpSync(hub, work, { recursive: true });
    const args = ["fix", "--force-exclude", ...(unsafe ? ["--unsafe-fixes"] : []), ...cards];
    spawnSync(bin, args, { cwd: work, encoding: "utf8" });
    let changed = 0;
    for (const card of cards) {
      const before = fs.readFileSync(path.join(hub, card));
      const want = fs.readFileSync(path.join(work, card), "utf8");
      const options = { ...optionsFor(hub, card), ...(unsafe ? { unsafeFixes: true } : {}) };
      let got;
      try {
        got = pkg.fix(new Uint8Array(before), options);
      } catch (e) {
        // A file `fix` cannot read as a card: left as it was, and said so.
        assert.match(e.message, /: not fixed: /, card);
        assert.equal(want, before.toString("utf8"), card);
        continue;
      }
      assert.equal(got, want, `${card}${unsafe ? " (unsafe)" : ""}`);
      if (got !== before.toString("utf8")) changed += 1;
    }
    assert.ok(changed >= 10, `only ${changed} cards changed`);
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test("diff: the unified diff `fix --diff` prints", () => {
  const card = "fixtures/cards/broken/common-faults/README.md";
  const before = fs.readFileSync(path.join(hub, card), "utf8");
  const out = spawnSync(bin, ["fix", "--diff", card], { cwd: hub, encoding: "utf8" });
  assert.equal(out.status, 1, out.stderr);
  const after = pkg.fix(before, optionsFor(hub, card));
  assert.equal(pkg.diff(before, after, card), out.stdout);
});

test("rules: the list `rules --format json` gives", () => {
  const out = execFileSync(bin, ["rules", "--format", "json"], { encoding: "utf8" });
  assert.deepEqual(pkg.rules(), JSON.parse(out));
  assert.ok(pkg.rules().every((r) => r.help_uri.endsWith(`docs/rules.md#${r.id}`)));
});

// The command line's message for a fault, without its `modelcard-review: error: `.
function cliError(files, args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcr-wasm-err-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const out = spawnSync(bin, ["check", ...args, "README.md"], { cwd: dir, encoding: "utf8" });
  assert.equal(out.status, 2, out.stderr);
  const prefix = "modelcard-review: error: ";
  assert.ok(out.stderr.startsWith(prefix), out.stderr);
  // The command line names the file it read; the package names the option's file.
  return out.stderr.slice(prefix.length).trimEnd().replaceAll(`${dir}/`, "");
}

test("bad settings and templates throw the command line's message", () => {
  const card = "# My Model\n";
  const cases = [
    { files: { ".modelcard-review.toml": "rules = 3\n" }, args: ["--config", ".modelcard-review.toml"], options: { config: "rules = 3\n" } },
    { files: { ".modelcard-review.toml": "[rules]\nno-such-rule = \"off\"\n" }, args: ["--config", ".modelcard-review.toml"], options: { config: "[rules]\nno-such-rule = \"off\"\n" } },
    { files: { ".modelcard-review.toml": "fail-on = \"sometimes\"\n" }, args: ["--config", ".modelcard-review.toml"], options: { config: "fail-on = \"sometimes\"\n" } },
    { files: { "template.md": "just words, no headings\n" }, args: ["--template", "template.md"], options: { template: "just words, no headings\n" } },
    { files: { "template.md": "# A\0B\n" }, args: ["--template", "template.md"], options: { template: "# A\0B\n" } },
  ];
  for (const c of cases) {
    const want = cliError({ "README.md": card, ...c.files }, c.args);
    assert.throws(() => pkg.check(card, c.options), (e) => e instanceof Error && e.message === want, want);
    assert.throws(() => pkg.fix(card, c.options), (e) => e instanceof Error && e.message === want, want);
  }
  assert.throws(() => pkg.check(card, { unsafe_fixes: true }), /unknown field `unsafe_fixes`/);
  assert.throws(() => pkg.check(42), /string or a Uint8Array/);
});

test("the package loads as npm installs it: require(), types beside it", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, "target/npm/package.json"), "utf8"));
  assert.equal(manifest.version, pkg.version());
  const types = fs.readFileSync(path.join(repo, "target/npm", manifest.types), "utf8");
  for (const want of ["export function check(card: string | Uint8Array, options?: CheckOptions | null): CheckResult;",
    "export interface Finding", "export function fix(", "export function rules(): Rule[];"]) {
    assert.ok(types.includes(want), `types lack ${want}`);
  }
  const cli = execFileSync(bin, ["--version"], { encoding: "utf8" });
  assert.ok(cli.includes(manifest.version), cli);
});

test("npm pack, npm install, require(): the package a hub installs", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcr-npm-"));
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: path.join(repo, "target/npm"), encoding: "utf8" }).trim();
  fs.writeFileSync(path.join(dir, "package.json"), '{"name":"a-hub","version":"0.0.0","private":true}\n');
  execFileSync("npm", ["install", "--silent", "--offline", "--no-audit", "--no-fund", path.join(dir, tgz)], { cwd: dir });
  const out = execFileSync(process.execPath, ["-e", `
    const { check, fix, version } = require("modelcard-review");
    const r = check("# [Model Name]\\n\\nTODO\\n");
    console.log(JSON.stringify({ version: version(), rules: r.findings.map((f) => f.rule) }));
  `], { cwd: dir, encoding: "utf8" });
  const got = JSON.parse(out);
  assert.equal(got.version, pkg.version());
  assert.ok(got.rules.includes("placeholder") && got.rules.includes("missing-section"), out);
  // The ES module for pages is in the package, with its types.
  for (const f of ["web/modelcard_review.js", "web/modelcard_review_bg.wasm", "web/modelcard_review.d.ts", "LICENSE-MIT"]) {
    assert.ok(fs.existsSync(path.join(dir, "node_modules/modelcard-review", f)), f);
  }
});

test("defaultTemplate: the template `modelcard-review template` prints without a config", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcr-template-"));
  const out = execFileSync(bin, ["template"], { cwd: dir, encoding: "utf8" });
  assert.equal(pkg.defaultTemplate(), out);
});
