#!/usr/bin/env node
// Prints, line by line, how the grammar splits a model into scopes, using the same TextMate
// engine as VS Code (vscode-textmate with Oniguruma). For whoever edits the grammar:
//
//   npm install --prefix /tmp/tm vscode-textmate@9 vscode-oniguruma@2
//   NODE_PATH=/tmp/tm/node_modules node tools/editors/dump-scopes.js rules/examples/*.score
//
// Each token prints as [text|scopes], without the `.leadscore` suffix; text outside any
// scope prints as [text|-].
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = path.join(__dirname, 'leadscore.tmLanguage.json');

async function main(files) {
  if (files.length === 0) {
    console.error('usage: dump-scopes.js MODEL.score...');
    process.exit(2);
  }
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.leadscore'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar('source.leadscore');
  for (const file of files) {
    let state = vsctm.INITIAL;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      const tokens = result.tokens
        .map((token) => {
          const text = line.substring(token.startIndex, token.endIndex);
          const scopes = token.scopes.slice(1).map((s) => s.replace(/\.leadscore$/, ''));
          if (scopes.length === 0) return text.trim() ? `[${text}|-]` : '';
          return `[${text}|${scopes.join(' ')}]`;
        })
        .filter(Boolean);
      console.log(`${file}:${index + 1}: ${tokens.join(' ')}`);
      state = result.ruleStack;
    });
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
