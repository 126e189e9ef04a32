import { accessRoutes as r, questionOf } from '../../../shared/contracts/routes/access.ts';
import { applySemantic } from '../../../shared/domain/access-decision.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { ok } from '../../../shared/http/responses.ts';
import { evaluateAccess } from '../../../shared/services/access-decisions.ts';

export const accessRouteImpls: BoundRoute[] = [
  implement(r.evaluation, async (ctx) => {
    const [decision] = await evaluateAccess(ctx.services, ctx.caller, [questionOf(ctx.body)]);
    return ok(decision);
  }),
  implement(r.evaluations, async (ctx) => {
    const { single, questions, semantic } = ctx.body;
    const decisions = await evaluateAccess(ctx.services, ctx.caller, questions);
    // Without an `evaluations` array the request is a single evaluation, and so is the answer (AuthZEN §7.1).
    return ok(single ? decisions[0] : { evaluations: applySemantic(decisions, semantic) });
  }),
];
