// The playground's link to a card (playground/fragment.js): base64url of the UTF-8 text,
// as Node's own base64url writes it, and read back unchanged — accents, emoji, a byte
// order mark, CRLF, and a card long enough to need several chunks.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { toBase64url, fromBase64url } from "../../playground/fragment.js";

const repo = path.resolve(import.meta.dirname, "../..");

test("a card survives the link, byte for byte", () => {
  const cards = [
    "",
    "\ufeff# Modèle de segmentation 🧫\r\n\r\n- **Developed by:** Jürgen Müller\r\n",
    fs.readFileSync(path.join(repo, "fixtures/cards/broken/common-faults/README.md"), "utf8").repeat(12),
  ];
  for (const card of cards) {
    const link = toBase64url(card);
    assert.equal(link, Buffer.from(card, "utf8").toString("base64url"));
    assert.match(link, /^[A-Za-z0-9_-]*$/);
    assert.equal(fromBase64url(link), card);
  }
});
