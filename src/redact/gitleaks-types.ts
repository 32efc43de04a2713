// The shape of gitleaks' rule set as scripts/gitleaks-rules.mjs writes it: apart from both the
// generated data and the code that runs it, so that neither imports the other.
export interface GitleaksRule {
  id: string;
  regex: string;
  keywords: string[];
  entropy?: number;
  secretGroup?: number;
  allow?: { regexes?: string[]; target?: string; stopwords?: string[]; condition?: string }[];
}

export interface GitleaksData {
  version: string;
  commit: string;
  allow: { regexes: string[]; stopwords: string[] };
  rules: GitleaksRule[];
}
