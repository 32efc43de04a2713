import { describe, expect, it } from 'vitest';
import { recentRejectReasons } from '../../src/rules/reasons.js';
import type { Rule, RuleStatus } from '../../src/rules/rule.js';

const rule = (id: string, status: RuleStatus, reason?: string, updated = '2026-11-20'): Rule => ({ id, title: id, scope: 'project', status, trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-11-01', updated, hits: 0, body: 'B.', file: `rules/${id}.md`, ...(reason ? { reason } : {}) });

describe('recentRejectReasons', () => {
  it('gives the reasons of rejected rules, newest rejection first by the history, each once', () => {
    const rules = [rule('PROJ-001', 'rejected', 'too vague'), rule('PROJ-002', 'rejected', 'Not a mistake of the agent'), rule('PROJ-003', 'rejected', 'too  Vague '), rule('PROJ-004', 'active'), rule('PROJ-005', 'deprecated', 'old')];
    const commits = [{ subject: 'rules: reject PROJ-003 (2026-11-21-aaaa, too  Vague )' }, { subject: 'rules: approve PROJ-004' }, { subject: 'rules: reject PROJ-002 (x)' }, { subject: 'rules: reject PROJ-001 (y)' }];
    expect(recentRejectReasons(rules, commits)).toEqual(['too Vague', 'Not a mistake of the agent']);
  });

  it('orders rejections older than the commits it was given by the day the rule changed, and keeps at most nine', () => {
    const rules = Array.from({ length: 12 }, (_, n) => rule(`PROJ-${String(n + 1).padStart(3, '0')}`, 'rejected', `reason ${n + 1}`, `2026-11-${String(n + 1).padStart(2, '0')}`));
    const reasons = recentRejectReasons(rules, [{ subject: 'rules: reject PROJ-002 (r)' }]);
    expect(reasons).toEqual(['reason 2', 'reason 12', 'reason 11', 'reason 10', 'reason 9', 'reason 8', 'reason 7', 'reason 6', 'reason 5']);
  });
});
