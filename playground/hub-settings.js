// A hub's own rules for its playground: examples/playground-page.yml writes this file
// with the hub's `.modelcard-review.toml` and template, so its contributors check their
// cards against exactly what the hub's review will use. Empty: the built-in template
// and default settings.
export default {};
