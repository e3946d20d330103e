// What a hub's upload page runs before it publishes a model: the model card the user is
// about to publish, checked by modelcard-review's rules (the WebAssembly package) with
// the other files of the model's folder and its rdf.yaml. Errors block publishing;
// warnings and notices are shown, and do not block.
//
// `check` is the package's check function (`require("modelcard-review").check` in
// Node, or the `modelcard-review/web` module's after `await init()` in a page).
export function reviewUpload(check, { card, files = [], metadata, config, template }) {
  const options = { files };
  if (metadata) options.metadata = metadata;
  if (config) options.config = config;
  if (template) options.template = template;
  const { findings } = check(card, options);
  const errors = findings.filter((f) => f.severity === "error");
  return { ok: errors.length === 0, errors, findings };
}

// One line a person can act on: where, what, and the rule's page for more.
export function describe(f) {
  return `Line ${f.line}, ${f.severity}: ${f.message} (${f.rule})`;
}
