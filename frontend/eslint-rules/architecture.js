// Local lint rules for the SPA's architecture (see STYLE.md, "Frontend"):
// - `no-cross-feature-imports`: a file under src/features/<a>/ never imports from src/features/<b>/;
//   shared code lives in src/lib, src/api, src/components.
// - `no-barrel-files`: no index.ts(x) files and no `export * from` re-exports.
import path from "node:path";

const FEATURES = `${path.sep}src${path.sep}features${path.sep}`;

function featureOf(file) {
  const at = file.lastIndexOf(FEATURES);
  if (at < 0) return null;
  return file.slice(at + FEATURES.length).split(path.sep)[0] ?? null;
}

function resolveImport(fromFile, source) {
  const srcRoot = fromFile.slice(0, fromFile.lastIndexOf(`${path.sep}src${path.sep}`) + 4);
  if (source.startsWith("@/")) return path.join(srcRoot, source.slice(2));
  if (source.startsWith(".")) return path.resolve(path.dirname(fromFile), source);
  return null;
}

const noCrossFeatureImports = {
  meta: {
    type: "problem",
    docs: { description: "features never import each other" },
    schema: [],
    messages: {
      cross:
        "Feature '{{from}}' imports from feature '{{to}}': move the shared code to src/lib, src/api or src/components.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = featureOf(file);
    if (!from) return {};
    const check = (node) => {
      if (!node.source || typeof node.source.value !== "string") return;
      const target = resolveImport(file, node.source.value);
      if (!target) return;
      const to = featureOf(target + path.sep);
      if (to && to !== from) context.report({ node, messageId: "cross", data: { from, to } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node);
      },
    };
  },
};

const noBarrelFiles = {
  meta: {
    type: "problem",
    docs: { description: "no barrel files" },
    schema: [],
    messages: {
      index: "No barrel files: name the module after what it holds instead of index.",
      star: "No `export * from`: import from the module that defines the name.",
    },
  },
  create(context) {
    return {
      Program(node) {
        if (/^index\.(t|j)sx?$/.test(path.basename(context.filename))) context.report({ node, messageId: "index" });
      },
      ExportAllDeclaration(node) {
        context.report({ node, messageId: "star" });
      },
    };
  },
};

export default {
  meta: { name: "mcb-architecture" },
  rules: { "no-cross-feature-imports": noCrossFeatureImports, "no-barrel-files": noBarrelFiles },
};
