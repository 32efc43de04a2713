declare function loadRe2(): typeof import('re2js', { with: { 'resolution-mode': 'import' } });
export = loadRe2;
