// The playground: the modelcard-review engine (WebAssembly) checks the card as it is
// typed. No server: the card never leaves the page. A card can arrive in the URL
// fragment (#card= + base64url of its UTF-8 text), so a maintainer can send a
// contributor a link to their card's findings; `&fix=1` opens the fixed card too.
import init, { check, fix, diff, rules, defaultTemplate, version } from "./pkg/modelcard_review.js";
import hub from "./hub-settings.js";
import { toBase64url, fromBase64url } from "./fragment.js";

const $ = (id) => document.getElementById(id);
const ui = {
  card: $("card"), cardFile: $("card-file"), newCard: $("new-card"),
  metadata: $("metadata"), metadataName: $("metadata-name"), template: $("template"), config: $("config"),
  more: $("more"), status: $("status"), problem: $("problem"), findings: $("findings"),
  fix: $("fix"), unsafe: $("unsafe"), share: $("share"),
  fixed: $("fixed"), fixedSummary: $("fixed-summary"), fixedDiff: $("fixed-diff"), fixedText: $("fixed-text"),
  copyFixed: $("copy-fixed"), useFixed: $("use-fixed"), version: $("version"), settingsNote: $("settings-note"),
};

// A script error is shown, not hidden in the console (and the browser test reads it).
window.addEventListener("error", (e) => scriptError(e.message));
window.addEventListener("unhandledrejection", (e) => scriptError(String(e.reason)));
function scriptError(message) {
  document.body.dataset.scriptError = message;
  showProblem(`The playground failed: ${message}`);
}

const SEVERITY = {
  error: { mark: "✖", word: "error" },
  warning: { mark: "▲", word: "warning" },
  notice: { mark: "●", word: "notice" },
};
let ruleInfo = new Map();

function options() {
  // No path: the text is judged as a card whatever the settings' `paths` say.
  const o = {};
  if (ui.metadata.value.trim()) o.metadata = { name: ui.metadataName.value, text: ui.metadata.value };
  if (ui.template.value.trim()) o.template = ui.template.value;
  if (ui.config.value.trim()) o.config = ui.config.value;
  if (ui.unsafe.checked) o.unsafeFixes = true;
  return o;
}

function showProblem(message) {
  ui.problem.hidden = !message;
  ui.problem.textContent = message || "";
}

function count(list, severity) {
  return list.filter((f) => f.severity === severity).length;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function runCheck() {
  const text = ui.card.value;
  let result;
  try {
    result = check(text, options());
    showProblem("");
  } catch (e) {
    // Bad settings or template: the command line's words.
    showProblem(e.message);
    ui.findings.replaceChildren();
    ui.status.textContent = "Not checked: see the message below.";
    document.body.dataset.state = "refused";
    return;
  }
  drawFindings(text, result.findings);
  const f = result.findings;
  ui.status.textContent = result.excluded
    ? "Not a card by the settings' paths and exclude."
    : f.length === 0
    ? (text.trim() ? "No findings: the card follows the template." : "Paste a card to check it.")
    : `${plural(count(f, "error"), "error")}, ${plural(count(f, "warning"), "warning")}, ${plural(count(f, "notice"), "notice")}.`;
  document.body.dataset.state = "checked";
  document.body.dataset.findings = String(f.length);
}

// Findings in line order, each beside the line it is about.
function drawFindings(text, findings) {
  const lines = text.split(/\r?\n/);
  const byLine = new Map();
  for (const f of findings) {
    if (!byLine.has(f.line)) byLine.set(f.line, []);
    byLine.get(f.line).push(f);
  }
  const items = [...byLine.keys()].sort((a, b) => a - b).map((n) => {
    const li = document.createElement("li");
    li.className = "line";
    const head = document.createElement("div");
    head.className = "line-head";
    const go = document.createElement("button");
    go.type = "button";
    go.className = "goto";
    go.textContent = `Line ${n}`;
    go.setAttribute("aria-label", `Go to line ${n} in the card`);
    go.addEventListener("click", () => selectLine(n));
    const code = document.createElement("code");
    code.className = "source";
    code.textContent = lines[n - 1] ?? "";
    head.append(go, code);
    const ul = document.createElement("ul");
    for (const f of byLine.get(n)) ul.append(drawFinding(f));
    li.append(head, ul);
    return li;
  });
  ui.findings.replaceChildren(...items);
}

function drawFinding(f) {
  const li = document.createElement("li");
  li.className = `finding ${f.severity}`;
  li.dataset.rule = f.rule;
  li.dataset.line = String(f.line);
  li.dataset.fingerprint = f.fingerprint;
  const sev = document.createElement("span");
  sev.className = "severity";
  sev.textContent = `${SEVERITY[f.severity].mark} ${SEVERITY[f.severity].word}`;
  const rule = document.createElement("a");
  rule.className = "rule";
  rule.href = ruleInfo.get(f.rule)?.help_uri ?? `https://github.com/ri-scale/modelcard-review/blob/main/docs/rules.md#${f.rule}`;
  rule.textContent = f.rule;
  rule.title = ruleInfo.get(f.rule)?.summary ?? "";
  const msg = document.createElement("p");
  msg.className = "message";
  msg.textContent = f.message;
  li.append(sev, " ", rule, msg);
  if (f.lines && f.lines.length > 1) {
    const also = document.createElement("p");
    also.className = "also";
    also.append("Also on lines ");
    f.lines.filter((l) => l !== f.line).forEach((l, i) => {
      if (i) also.append(", ");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "goto small";
      b.textContent = String(l);
      b.setAttribute("aria-label", `Go to line ${l}`);
      b.addEventListener("click", () => selectLine(l));
      also.append(b);
    });
    li.append(also);
  }
  if (f.suggestion !== null) {
    const s = document.createElement("pre");
    s.className = "suggestion";
    s.setAttribute("aria-label", "Suggested text");
    s.textContent = f.suggestion;
    li.append(s);
  }
  return li;
}

function selectLine(n) {
  const lines = ui.card.value.split("\n");
  const start = lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
  const end = start + (lines[n - 1] ?? "").length;
  ui.card.focus();
  ui.card.setSelectionRange(start, end);
  // Bring the line into view: the textarea scrolls to its selection on focus in most
  // browsers; this sets it where they do not.
  const lineHeight = parseFloat(getComputedStyle(ui.card).lineHeight) || 18;
  ui.card.scrollTop = Math.max(0, (n - 3) * lineHeight);
}

function runFix() {
  const before = ui.card.value;
  let after;
  try {
    after = fix(before, options());
  } catch (e) {
    showProblem(e.message);
    return;
  }
  const left = check(after, options()).findings.length;
  const patch = diff(before, after, "README.md");
  ui.fixedSummary.textContent = after === before
    ? `Nothing to fix mechanically; ${plural(left, "finding")} left for you.`
    : `${plural(left, "finding")} left for you after the fixes.`;
  ui.fixedDiff.replaceChildren(...patch.split("\n").map((l) => {
    const span = document.createElement("span");
    span.className = l.startsWith("+") && !l.startsWith("+++") ? "add" : l.startsWith("-") && !l.startsWith("---") ? "del" : l.startsWith("@@") ? "hunk" : "ctx";
    span.textContent = `${l}\n`;
    return span;
  }));
  ui.fixedText.textContent = after;
  ui.fixed.hidden = false;
  document.body.dataset.fixed = "shown";
  ui.fixed.querySelector("h2").focus();
}

async function copy(text, button) {
  const was = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed: select the text and copy it";
  }
  setTimeout(() => { button.textContent = was; }, 2000);
}

function readFile(file) {
  file.arrayBuffer().then((buf) => {
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(buf);
    if (/(^|\/)(rdf|bioimageio)\.yaml$/i.test(file.name)) {
      ui.metadataName.value = file.name.toLowerCase().endsWith("bioimageio.yaml") ? "bioimageio.yaml" : "rdf.yaml";
      ui.metadata.value = text;
      ui.more.open = true;
    } else {
      ui.card.value = text;
    }
    scheduleCheck(0);
  });
}

let timer = 0;
function scheduleCheck(delay = 150) {
  clearTimeout(timer);
  ui.fixed.hidden = true;
  timer = setTimeout(runCheck, delay);
}

function cardFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const card = params.get("card");
  if (card === null) return false;
  try {
    ui.card.value = fromBase64url(card);
  } catch {
    showProblem("The link's card could not be read (it is not base64url). Paste the card instead.");
    return false;
  }
  return params.get("fix") === "1" ? "fix" : true;
}

// The hub's settings, when the page was published with them.
function applyHubSettings() {
  if (typeof hub.template === "string") ui.template.value = hub.template;
  if (typeof hub.config === "string") ui.config.value = hub.config;
  if (hub.name) {
    document.title = `${hub.name}: model card playground`;
    ui.settingsNote.textContent = `Checked with ${hub.name}'s template and settings.`;
  }
}

async function main() {
  await init();
  applyHubSettings();
  ruleInfo = new Map(rules().map((r) => [r.id, r]));
  ui.version.textContent = version();
  for (const el of [ui.card, ui.metadata, ui.template, ui.config]) el.addEventListener("input", () => scheduleCheck());
  ui.metadataName.addEventListener("change", () => scheduleCheck(0));
  ui.unsafe.addEventListener("change", () => { if (!ui.fixed.hidden) runFix(); });
  ui.cardFile.addEventListener("change", () => { if (ui.cardFile.files[0]) readFile(ui.cardFile.files[0]); });
  ui.newCard.addEventListener("click", () => {
    ui.card.value = ui.template.value.trim() ? ui.template.value : defaultTemplate();
    scheduleCheck(0);
  });
  ui.card.addEventListener("dragover", (e) => e.preventDefault());
  ui.card.addEventListener("drop", (e) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    for (const f of e.dataTransfer.files) readFile(f);
  });
  // The other boxes take a dropped file as their text: a template, a config, metadata.
  for (const box of [ui.metadata, ui.template, ui.config]) {
    box.addEventListener("dragover", (e) => e.preventDefault());
    box.addEventListener("drop", (e) => {
      const file = e.dataTransfer.files[0];
      if (!file) return;
      e.preventDefault();
      file.text().then((text) => { box.value = text; scheduleCheck(0); });
    });
  }
  ui.fix.addEventListener("click", runFix);
  ui.copyFixed.addEventListener("click", () => copy(ui.fixedText.textContent, ui.copyFixed));
  ui.useFixed.addEventListener("click", () => {
    ui.card.value = ui.fixedText.textContent;
    scheduleCheck(0);
    ui.card.focus();
  });
  ui.share.addEventListener("click", () => {
    const url = `${location.href.split("#")[0]}#card=${toBase64url(ui.card.value)}`;
    history.replaceState(null, "", url);
    copy(url, ui.share);
  });
  window.addEventListener("hashchange", () => { if (cardFromFragment()) runCheck(); });
  const fromLink = cardFromFragment();
  runCheck();
  if (fromLink === "fix") runFix();
}

main().catch((e) => scriptError(e && e.message ? e.message : String(e)));
