// Top-level symbols of a source file by simple per-language regexes: enough for a map of what lives where,
// without a parser per language. Each pattern captures the declaration line, trimmed.

const JS = [
  /^export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|abstract\s+class)\s+[\w$]+.*$/,
  /^(?:async\s+)?function\*?\s+[\w$]+\s*\(.*$/,
  /^class\s+[\w$]+.*$/,
  /^(?:interface|type|enum)\s+[\w$]+.*$/,
  /^module\.exports(?:\.[\w$]+)?\s*=.*$/,
  /^exports\.[\w$]+\s*=.*$/,
];

const BY_EXT: Record<string, RegExp[]> = {
  js: JS,
  mjs: JS,
  cjs: JS,
  jsx: JS,
  ts: JS,
  tsx: JS,
  mts: JS,
  cts: JS,
  py: [/^(?:async\s+)?def\s+\w+.*$/, /^class\s+\w+.*$/],
  go: [/^func\s+(?:\([^)]*\)\s*)?\w+.*$/, /^type\s+\w+\s+(?:struct|interface).*$/],
  rs: [
    /^pub(?:\([\w\s]+\))?\s+(?:async\s+)?(?:fn|struct|enum|trait|type|mod|const)\s+\w+.*$/,
    /^(?:fn|struct|enum|trait)\s+\w+.*$/,
    /^impl\b.*$/,
  ],
  java: [
    /^(?:public|protected|private|abstract|final|static|\s)*(?:class|interface|enum|record)\s+\w+.*$/,
    /^\s{2,4}(?:public|protected)\s+[\w<>[\],\s]+\s+\w+\s*\(.*$/,
  ],
  kt: [/^(?:data\s+|sealed\s+|abstract\s+|open\s+)*(?:class|interface|object|fun)\s+\w+.*$/],
  cs: [
    /^\s*(?:public|internal)\s+(?:static\s+|abstract\s+|sealed\s+|partial\s+)*(?:class|interface|enum|record|struct)\s+\w+.*$/,
  ],
  rb: [/^\s*(?:def|class|module)\s+[\w:.]+.*$/],
  php: [/^\s*(?:abstract\s+|final\s+)?(?:class|interface|trait|function)\s+\w+.*$/],
  c: [/^[A-Za-z_][\w\s*]*\s\**\w+\s*\([^;]*$/, /^(?:typedef\s+)?struct\s+\w+.*$/],
  h: [/^[A-Za-z_][\w\s*]*\s\**\w+\s*\([^)]*\)\s*;$/, /^(?:typedef\s+)?struct\s+\w+.*$/],
  cpp: [/^(?:class|struct|namespace)\s+\w+.*$/, /^[A-Za-z_][\w\s*&:<>]*\s[\w:]+\s*\([^;]*$/],
  swift: [/^(?:public\s+|open\s+)?(?:final\s+)?(?:class|struct|enum|protocol|func|extension)\s+\w+.*$/],
  sh: [/^(?:function\s+)?[\w-]+\s*\(\)\s*\{?.*$/],
  md: [/^#{1,3}\s+.+$/],
};

export function symbolsOf(path: string, text: string, max = 40): string[] {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const patterns = BY_EXT[ext];
  if (!patterns) return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length > 400) continue;
    if (patterns.some((re) => re.test(line))) {
      out.push(
        line
          .trim()
          .replace(/\s*\{\s*$/, '')
          .slice(0, 160),
      );
      if (out.length >= max) break;
    }
  }
  return out;
}
