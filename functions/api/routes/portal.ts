import { portalRoutes as r } from '../../../shared/contracts/routes/portal.ts';
import { isIdOf } from '../../../shared/domain/ids.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import type { HttpResult } from '../../../shared/http/responses.ts';
import { APP_JS } from '../../../web/portal/app-script.ts';
import { assetHeaders, pageHeaders } from '../../../web/portal/headers.ts';
import { renderBadLink, renderLandingPage, renderReviewPage, type LandingPage } from '../../../web/portal/page.ts';
import { APP_CSS } from '../../../web/portal/styles.ts';

/** Reads nothing and writes nothing: the page is the same for everyone until they sign in. */
function landing(page: LandingPage, id: string): HttpResult {
  if (!isIdOf('request', id)) return { status: 400, headers: pageHeaders(), text: renderBadLink() };
  return { status: 200, headers: pageHeaders(), text: renderLandingPage(page, id) };
}

export const portalRoutesImpl = [
  implement(r.request, async (ctx) => landing('requests', ctx.params.id)),
  implement(r.approval, async (ctx) => landing('approvals', ctx.params.id)),
  implement(r.review, async (ctx) => {
    const { definitionId, instanceId } = ctx.params;
    if (!isIdOf('accessReview', definitionId) || !isIdOf('reviewInstance', instanceId))
      return { status: 400, headers: pageHeaders(), text: renderBadLink('review') };
    return { status: 200, headers: pageHeaders(), text: renderReviewPage(definitionId, instanceId) };
  }),
  implement(r.script, async () => ({ status: 200, headers: assetHeaders('text/javascript'), text: APP_JS })),
  implement(r.styles, async () => ({ status: 200, headers: assetHeaders('text/css'), text: APP_CSS })),
];
