import type { Finding } from './analyzer';
import { ruleById } from './rules/registry';
import { SEVERITIES, type Severity } from './rules/rule';

export type RuleSetting = Severity | 'off';

/** What a user can configure per workspace folder (`waitguard.*` in VS Code). */
export interface Settings {
  enable: boolean;
  /** Severity per rule id; rules not named keep their default. */
  rules: Record<string, RuleSetting>;
  /** The workspace scan analyses generated files (`// Code generated ... DO NOT EDIT.`) too. */
  scanGenerated: boolean;
  /** Which inlay hints the editor shows: defer run order, WaitGroup counts (`waitguard.inlayHints.*`). */
  inlayHints: InlayHintSettings;
}

export interface InlayHintSettings {
  deferOrder: boolean;
  waitGroup: boolean;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, scanGenerated: false, inlayHints: { deferOrder: true, waitGroup: true } };

/** Applies per-rule severities: drops findings of rules set to `off`, overrides the others. */
export function applySettings(findings: Finding[], settings: Settings): Finding[] {
  if (!settings.enable) return [];
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = settings.rules[f.rule];
    if (setting === 'off') continue;
    out.push(setting && SEVERITIES.includes(setting) ? { ...f, severity: setting } : f);
  }
  return out;
}

/** Reads untrusted settings input (JSON from a client), keeping only known rule ids and values. */
export function normaliseSettings(raw: unknown): Settings {
  const value = (raw ?? {}) as { enable?: unknown; rules?: unknown; scan?: { includeGenerated?: unknown }; inlayHints?: { deferOrder?: unknown; waitGroup?: unknown } };
  const rules: Record<string, RuleSetting> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      if (ruleById(id) && (setting === 'off' || SEVERITIES.includes(setting as Severity))) rules[id] = setting as RuleSetting;
    }
  }
  return {
    enable: value.enable !== false,
    rules,
    scanGenerated: value.scan?.includeGenerated === true,
    inlayHints: { deferOrder: value.inlayHints?.deferOrder !== false, waitGroup: value.inlayHints?.waitGroup !== false },
  };
}
