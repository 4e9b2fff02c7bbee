import type { AppModule, BotFlowDef, JobDefinition, MediaAccessRule, ParticipationKindDef, RetentionRule } from './types';

/**
 * The installed module list, as the manifest's readers see it. `modules/index.ts` imports every
 * module, so a module cannot import it back (that was the jobs → modules/index loop); the start-up
 * (src/bootstrap.ts) installs the list here and modules read what the others declare at call time.
 */
let installed: readonly AppModule[] = [];

export function installModules(list: readonly AppModule[]): void {
  installed = list;
}

const all = <T>(pick: (m: AppModule) => readonly T[] | undefined): T[] => installed.flatMap((m) => pick(m) ?? []);

export const declaredJobs = (): JobDefinition[] => all((m) => m.jobs);
export const participationKinds = (): ParticipationKindDef[] => all((m) => m.participation);
export const retentionRules = (): RetentionRule[] => all((m) => m.retention);
export const botFlows = (): BotFlowDef[] => all((m) => m.botFlows);

/** The Chinese name of a participation kind (知识问答), or the kind itself when unknown. */
export function kindName(kind: string): string {
  return participationKinds().find((k) => k.kind === kind)?.name ?? kind;
}

export function mediaAccessRule(ownerKind: string): MediaAccessRule | undefined {
  return all((m) => m.mediaAccess).find((r) => r.ownerKind === ownerKind);
}
