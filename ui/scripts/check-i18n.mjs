#!/usr/bin/env node
// Checks the UI message catalogues (ui/src/lib/i18n/{en,ru,kk}.json):
//   * every language has exactly the same keys,
//   * each message uses the same {placeholders} in every language,
//   * no UI key shadows a key of the core's catalogues (crates/qujat-core/locales),
//   * every key used in ui/src as t("…") exists in the UI or core catalogues,
//   * every UI key is used somewhere in ui/src.
// Exits 1 with a list of problems, 0 when all is well.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const uiDir = join(root, "ui", "src", "lib", "i18n");
const coreDir = join(root, "crates", "qujat-core", "locales");
const srcDir = join(root, "ui", "src");
const LANGS = ["en", "ru", "kk"];

const problems = [];

function load(file) {
  try {
    const value = JSON.parse(readFileSync(file, "utf8"));
    for (const [key, message] of Object.entries(value)) {
      if (typeof message !== "string") problems.push(`${relative(root, file)}: "${key}" is not a string`);
    }
    return value;
  } catch (e) {
    problems.push(`${relative(root, file)}: ${e.message}`);
    return {};
  }
}

const ui = Object.fromEntries(LANGS.map((lang) => [lang, load(join(uiDir, `${lang}.json`))]));
const core = Object.fromEntries(LANGS.map((lang) => [lang, load(join(coreDir, `${lang}.json`))]));

// Same keys everywhere.
for (const a of LANGS) {
  for (const b of LANGS) {
    if (a === b) continue;
    for (const key of Object.keys(ui[a])) {
      if (!(key in ui[b])) problems.push(`ui/src/lib/i18n/${b}.json lacks "${key}" (present in ${a}.json)`);
    }
  }
}

// Same placeholders everywhere.
const placeholders = (message) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
for (const key of Object.keys(ui.en)) {
  for (const lang of LANGS.slice(1)) {
    const other = ui[lang][key];
    if (typeof other === "string" && placeholders(other) !== placeholders(ui.en[key])) {
      problems.push(`"${key}" in ${lang}.json uses {${placeholders(other)}}, English uses {${placeholders(ui.en[key])}}`);
    }
  }
}

// No shadowing of the core's messages.
for (const key of Object.keys(ui.en)) {
  if (key in core.en) problems.push(`"${key}" is defined by both the UI and the core catalogues; use the core's`);
}

// Keys used in the sources.
function sources(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "bindings" && name !== "node_modules") files.push(...sources(path));
    } else if (/\.(svelte|ts|js|mjs)$/.test(name)) {
      files.push(path);
    }
  }
  return files;
}

const used = new Map();
const call = /\bt\(\s*(["'`])([^"'`$]+?)\1/g;
for (const file of sources(srcDir)) {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(call)) {
    const key = match[2];
    if (!used.has(key)) used.set(key, relative(root, file));
  }
}

for (const [key, file] of used) {
  if (!(key in ui.en) && !(key in core.en)) problems.push(`${file} uses "${key}", which no catalogue defines`);
}
for (const key of Object.keys(ui.en)) {
  if (!used.has(key)) problems.push(`"${key}" is in the UI catalogues but never used in ui/src`);
}

if (problems.length > 0) {
  console.error(`check-i18n: ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`check-i18n: ${Object.keys(ui.en).length} UI keys in ${LANGS.length} languages, ${used.size} keys used; all consistent.`);
