/** Browser tests run against the built portal: build it once per run if its sources changed. */
import { ensurePortalBuilt } from '../../infra/local/portal-site.ts';

export async function setup(): Promise<void> {
  await ensurePortalBuilt();
}
